//! Mastodon's JSON entities and the conversions into them (`*_from`). Every field a client
//! parses strictly is always present (null where Mastodon sends null); see
//! `../shared/reference/client-api.md` §5 for which missing fields crash which client.

mod account;
mod emoji;
mod filter;
mod notification;
mod relationship;
mod scheduled;
mod status;
mod warning;

pub use account::{Account, CredentialAccount, account_from, credential_account_from};
pub use emoji::{CustomEmoji, emoji_from};
pub use filter::{
    Filter, FilterKeyword, FilterResult, FilterStatus, FilterV1, filter_from, filter_result_from,
    filter_status_from, filters_v1_from, keyword_from,
};
pub use notification::{
    GroupedNotifications, Notification, NotificationGroup, grouped_from, notification_from,
};
pub use relationship::{Relationship, relationship_from};
pub use scheduled::{ScheduledStatus, scheduled_from};
pub use status::{MediaAttachment, Poll, Status, media_from, poll_from, status_from};
pub use warning::{Warnings, warning_from, warnings_for};

/// Mastodon's timestamp shape (RFC 3339, milliseconds, `Z`), which Tusky's parser requires.
pub fn time(t: &passage_db::Timestamp) -> String {
    t.with_timezone(&chrono::Utc)
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}
