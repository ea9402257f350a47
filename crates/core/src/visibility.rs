//! Who may see a post. Mastodon's four levels, which peers express through addressing.

use crate::error::{CoreError, CoreResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Everyone; listed on public timelines.
    Public,
    /// Everyone who has the link; not listed on public timelines.
    Unlisted,
    /// Accepted followers and mentioned actors only.
    Private,
    /// Mentioned actors only.
    Direct,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Unlisted => "unlisted",
            Self::Private => "private",
            Self::Direct => "direct",
        }
    }

    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "public" => Ok(Self::Public),
            "unlisted" => Ok(Self::Unlisted),
            "private" => Ok(Self::Private),
            "direct" => Ok(Self::Direct),
            other => Err(CoreError::Invalid(format!("unknown visibility {other:?}"))),
        }
    }

    /// Visible to anyone holding the link (public and unlisted).
    pub fn is_public(self) -> bool {
        matches!(self, Self::Public | Self::Unlisted)
    }
}

/// Visibilities an accepted follower sees in their home timeline.
pub const FOR_FOLLOWERS: [&str; 3] = ["public", "unlisted", "private"];
/// Visibilities anyone may fetch.
pub const FOR_EVERYONE: [&str; 2] = ["public", "unlisted"];
