//! The HTTP API end to end: a real server (`skillgraph::http::serve`) on a real sled database in a
//! temporary directory, seeded from `seed/`, spoken to over real HTTP, WebSocket and Server-Sent
//! Events connections.

mod auth;
mod cache;
mod changes;
mod clients;
mod consistency;
mod contract;
mod explorer;
mod extract;
mod federation;
mod flat;
mod fuzz;
mod groups;
mod helpers;
mod levels;
mod limits;
mod mutations;
mod next;
mod observability;
mod one_of;
mod paging;
mod paths;
mod persistence;
mod plans;
mod queries;
mod related;
mod role_categories;
mod search;
mod similar;
mod sse;
mod subscriptions;
mod titles;
mod transport;
mod validation;
