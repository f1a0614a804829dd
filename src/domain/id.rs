//! Validated identifiers: parse once at the edge, then never a bare `String` inside the domain.
//!
//! Ids are slugs (`python`, `feature-engineering`, `esco:0005c151`): lower-case ASCII letters and
//! digits in runs separated by a single `-`, `_`, `.` or `:`. The separator set is wide enough for
//! namespaced taxonomy ids and narrow enough that an id is always safe in a URL, a file name and a
//! sled key. Ids are `Arc<str>` inside so that cloning a graph snapshot copies pointers, not text.

use std::{fmt, sync::Arc};

use serde::{Deserialize, Deserializer, Serialize};

use super::Error;

/// The longest id accepted; generous for namespaced URIs, small enough to bound keys.
pub const MAX_ID_LEN: usize = 128;

fn validate(kind: &'static str, raw: &str) -> Result<(), Error> {
    let invalid = |reason: &str| Error::InvalidId {
        kind,
        id: raw.chars().take(MAX_ID_LEN + 8).collect(),
        reason: reason.to_owned(),
    };
    if raw.is_empty() {
        return Err(invalid("it is empty"));
    }
    if raw.len() > MAX_ID_LEN {
        return Err(invalid(&format!(
            "it is longer than {MAX_ID_LEN} characters"
        )));
    }
    let mut previous_was_separator = true; // so a leading separator is rejected
    for c in raw.chars() {
        match c {
            'a'..='z' | '0'..='9' => previous_was_separator = false,
            '-' | '_' | '.' | ':' if !previous_was_separator => previous_was_separator = true,
            '-' | '_' | '.' | ':' => {
                return Err(invalid("separators must sit between letters or digits"));
            }
            _ => {
                return Err(invalid(
                    "only lower-case letters, digits and single - _ . : separators are allowed",
                ));
            }
        }
    }
    if previous_was_separator {
        return Err(invalid("it ends with a separator"));
    }
    Ok(())
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl $name {
            /// Validates `raw` as a slug id.
            pub fn parse(raw: &str) -> Result<Self, Error> {
                validate($kind, raw)?;
                Ok(Self(Arc::from(raw)))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), &*self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

slug_id!(
    /// Identifies a skill.
    SkillId,
    "skill"
);
slug_id!(
    /// Identifies a role (occupation).
    RoleId,
    "role"
);
slug_id!(
    /// Identifies a category of skills.
    CategoryId,
    "category"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_namespaced_ids_are_accepted() {
        for ok in [
            "python",
            "feature-engineering",
            "esco:0005c151-5b5a",
            "onet:15-1252.00",
            "a",
            "x_y.z",
        ] {
            assert!(SkillId::parse(ok).is_ok(), "{ok} should parse");
        }
    }

    #[test]
    fn malformed_ids_are_rejected_with_a_reason() {
        for bad in [
            "",
            "Python",
            "-x",
            "x-",
            "a--b",
            "a b",
            "é",
            "a/b",
            &"a".repeat(MAX_ID_LEN + 1),
        ] {
            let err = SkillId::parse(bad).unwrap_err();
            assert!(
                matches!(err, Error::InvalidId { kind: "skill", .. }),
                "{bad:?} gave {err}"
            );
        }
    }

    #[test]
    fn deserializing_validates() {
        let ok: SkillId = serde_json::from_str("\"python\"").unwrap();
        assert_eq!(ok.as_str(), "python");
        assert!(serde_json::from_str::<SkillId>("\"Not A Slug\"").is_err());
    }
}
