//! Live events for streaming clients: which post or notification just appeared, changed or
//! went away. Use cases publish after their transaction commits, so a listener that loads the
//! row always finds it. Events carry ids only; each listener decides, for its own viewer,
//! whether the event is theirs to see.
//!
//! The channel lives in the instance's `Context`; nothing is shared between instances. When
//! several processes serve one instance, each event also goes to the others ([`crate::cluster`]),
//! so a client connected to any of them sees it.

use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Event {
    /// A post or boost was stored (written here or received).
    Post(i64),
    /// A post was edited.
    Edited(i64),
    /// A post or boost was deleted (its row may be a tombstone or gone).
    Deleted(i64),
    /// A notification for a local account.
    Notification { id: i64, recipient_id: i64 },
}

/// How many events a slow listener may fall behind before it skips ahead.
const CAPACITY: usize = 1024;

#[derive(Clone, Debug)]
pub struct Hub {
    tx: broadcast::Sender<Event>,
    closing: CancellationToken,
    cluster: crate::cluster::Cluster,
}

impl Hub {
    pub fn new(cluster: crate::cluster::Cluster) -> Self {
        Self {
            tx: broadcast::channel(CAPACITY).0,
            closing: CancellationToken::new(),
            cluster,
        }
    }

    /// Sends to whoever listens now, here and in sibling processes; no listener is fine.
    pub fn publish(&self, events: impl IntoIterator<Item = Event>) {
        for event in events {
            self.publish_here(event);
            self.cluster.tell(crate::cluster::Signal::Stream { event });
        }
    }

    /// Sends to the listeners of this process only (an event a sibling already published).
    pub fn publish_here(&self, event: Event) {
        let _ = self.tx.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }

    /// Ends every stream: long-lived connections would otherwise hold a graceful shutdown
    /// open for as long as their clients stay.
    pub fn close(&self) {
        self.closing.cancel();
    }

    /// Resolves when the instance stops.
    pub async fn closed(&self) {
        self.closing.cancelled().await;
    }
}

/// A feed a listener follows live, with the same rules as the timeline of that name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Feed {
    /// The viewer's home timeline.
    Home,
    /// Public posts, of this instance only (`Some(true)`), of others (`Some(false)`) or all.
    Public { local: Option<bool> },
    /// Public posts with a hashtag.
    Tag { tag: String, local_only: bool },
    /// Direct posts the viewer wrote or is mentioned in.
    Direct,
    /// Posts of the accounts in one of the viewer's lists.
    List(i64),
}

/// Does `post` belong in `feed` for `viewer`? Deleted posts are judged as they were, so a
/// delete reaches exactly those who could have the post.
pub async fn includes(
    ctx: &crate::Context,
    viewer: Option<&crate::Actor>,
    feed: &Feed,
    post: &crate::Post,
) -> crate::CoreResult<bool> {
    use crate::visibility::{FOR_FOLLOWERS, Visibility};
    use passage_db::queries::{follows as fq, posts as pq};
    // What the viewer may not see reaches no feed of hers, whatever the feed's own rule. A
    // deletion reaches those who could see the post before it went.
    let mut live = post.clone();
    live.deleted_at = None;
    if !crate::posts::can_view(ctx, viewer, &live).await? {
        return Ok(false);
    }
    let visibility = Visibility::parse(&post.visibility)?;
    let mut public_original = visibility == Visibility::Public && post.reblog_of_id.is_none();
    // As on the public timelines: nothing from limited or suspended accounts, nor from
    // limited or refused domains.
    if public_original && matches!(feed, Feed::Public { .. } | Feed::Tag { .. }) {
        let author = crate::accounts::by_id(ctx, post.author_id).await?;
        let moderated = author.silenced_at.is_some() || author.suspended_at.is_some();
        public_original = !moderated
            && (author.local || {
                let verdict = crate::moderation::verdict(ctx, &author.domain).await?;
                verdict.federates && !verdict.limited
            });
    }
    Ok(match feed {
        Feed::Public { local } => {
            public_original
                && post.in_reply_to_ap_id.is_none()
                && local.is_none_or(|l| l == post.local)
        }
        Feed::Tag { tag, local_only } => {
            public_original
                && (!local_only || post.local)
                && pq::tags(&ctx.db, post.id)
                    .await?
                    .contains(&tag.to_lowercase())
        }
        Feed::List(list) => match viewer {
            Some(v) => {
                crate::visibility::FOR_FOLLOWERS.contains(&visibility.as_str())
                    && match crate::lists::holds(ctx, v, *list, post.author_id).await {
                        Err(crate::CoreError::NotFound) => false,
                        other => other?,
                    }
            }
            None => false,
        },
        Feed::Home | Feed::Direct => {
            let Some(viewer) = viewer else {
                return Ok(false);
            };
            let mentioned = || async {
                Ok::<_, crate::CoreError>(
                    pq::mention_ids(&ctx.db, post.id)
                        .await?
                        .contains(&viewer.id),
                )
            };
            if *feed == Feed::Direct {
                visibility == Visibility::Direct
                    && (post.author_id == viewer.id || mentioned().await?)
            } else {
                let followed = || async {
                    Ok::<_, crate::CoreError>(
                        FOR_FOLLOWERS.contains(&visibility.as_str())
                            && fq::find_pair(&ctx.db, viewer.id, post.author_id)
                                .await?
                                .is_some_and(|f| f.accepted),
                    )
                };
                let tagged = || async {
                    if visibility != Visibility::Public {
                        return Ok::<_, crate::CoreError>(false);
                    }
                    let followed = crate::tags::followed(ctx, viewer).await?;
                    let tags = pq::tags(&ctx.db, post.id).await?;
                    Ok(tags.iter().any(|t| followed.contains(t)))
                };
                post.author_id == viewer.id
                    || followed().await?
                    || mentioned().await?
                    || tagged().await?
            }
        }
    })
}
