use super::{MediaAttachment, media_from, time};
use passage_core::{Context, scheduled::Scheduled};
use serde::Serialize;
use serde_json::{Value, json};

/// Mastodon's ScheduledStatus: the post's parameters as the client sent them.
#[derive(Clone, Debug, Serialize)]
pub struct ScheduledStatus {
    pub id: String,
    pub scheduled_at: String,
    pub params: Value,
    pub media_attachments: Vec<MediaAttachment>,
}

pub fn scheduled_from(ctx: &Context, s: &Scheduled) -> ScheduledStatus {
    let p = &s.params;
    let poll = p.poll.as_ref().map(|poll| {
        json!({
            "options": poll.options,
            // Mastodon keeps what the form sent, a string.
            "expires_in": poll.expires_in_secs.to_string(),
            "multiple": poll.multiple,
            "hide_totals": poll.hide_totals,
        })
    });
    ScheduledStatus {
        id: s.id.to_string(),
        scheduled_at: time(&s.scheduled_at),
        params: json!({
            "text": p.text,
            "poll": poll,
            "media_ids": (!p.media_ids.is_empty())
                .then(|| p.media_ids.iter().map(i64::to_string).collect::<Vec<_>>()),
            "sensitive": p.sensitive,
            "spoiler_text": p.spoiler_text,
            "visibility": p.visibility,
            "language": p.language,
            "in_reply_to_id": p.in_reply_to_id.map(|id| id.to_string()),
            "idempotency": p.idempotency,
            "scheduled_at": Value::Null,
            "application_id": Value::Null,
            "with_rate_limit": false,
        }),
        media_attachments: s.media.iter().map(|m| media_from(ctx, m)).collect(),
    }
}
