//! Bounds on what one write may store: free text, lists and hours.

use super::Error;

/// Bounds on free text, so that one request cannot grow the graph by megabytes per field.
pub(crate) const MAX_NAME: usize = 200;
pub(crate) const MAX_DESCRIPTION: usize = 10_000;
pub(crate) const MAX_LIST: usize = 100;
pub(crate) const MAX_URL: usize = 2_048;
/// Ten years of full-time study; anything above is a typo.
pub const MAX_HOURS: u32 = 20_000;

pub(crate) fn check_text(what: &str, value: &str, max: usize, required: bool) -> Result<(), Error> {
    if required && value.trim().is_empty() {
        return Err(Error::InvalidInput(format!("{what} must not be empty")));
    }
    if value.chars().count() > max {
        return Err(Error::InvalidInput(format!(
            "{what} is longer than {max} characters"
        )));
    }
    Ok(())
}

pub(crate) fn check_list(what: &str, items: &[String]) -> Result<(), Error> {
    if items.len() > MAX_LIST {
        return Err(Error::InvalidInput(format!(
            "{what} has more than {MAX_LIST} entries"
        )));
    }
    items
        .iter()
        .try_for_each(|item| check_text(what, item, MAX_NAME, true))
}
