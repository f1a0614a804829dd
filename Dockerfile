# skillgraph: multi-stage build, small non-root runtime image.
#
#   docker build -t skillgraph .
#   docker run -p 8080:8080 -v skillgraph-data:/data -e SKILLGRAPH_ADMIN_TOKEN=change-me-to-a-long-secret skillgraph
#
# The database lives in the /data volume and is seeded on first start from the seed compiled
# into the binary.

FROM rust:1-slim-bookworm AS build
WORKDIR /src
# Dependencies first, so that source edits do not rebuild them. Cargo reads the whole manifest
# even to build dependencies, so every target it names or discovers must exist: stubs of the
# library, the binary and the `core`, `render` and `write` benches (each a `[[bench]]`). The bench stubs
# stay for the real build below, which builds the binary only.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && echo 'fn main() {}' > benches/core.rs && echo 'fn main() {}' > benches/render.rs \
    && echo 'fn main() {}' > benches/write.rs \
    && cargo build --release --locked \
    && rm -rf src
COPY src ./src
# The browser assets of the GraphQL explorer and of the plan explorer are compiled into the
# binary (src/http/explorer.rs, src/http/explore.rs).
COPY assets ./assets
# The default seed is compiled in too (src/import/seed/builtin.rs), so the image needs no
# seed directory at run time.
COPY seed ./seed
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin skillgraph

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /app skillgraph \
    && mkdir -p /data /app \
    && chown skillgraph /data
COPY --from=build /src/target/release/skillgraph /usr/local/bin/skillgraph
WORKDIR /app
USER skillgraph
ENV SKILLGRAPH_DB=/data \
    SKILLGRAPH_ADDR=0.0.0.0:8080 \
    RUST_LOG=info
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["skillgraph", "probe"]
ENTRYPOINT ["skillgraph"]
CMD ["serve"]
