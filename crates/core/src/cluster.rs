//! Signals between processes that serve one instance from one database (several web nodes
//! and delivery workers on PostgreSQL). Each process keeps its own in-memory state (live
//! streams, the wake-up of its delivery worker, the cached federation policy); when one of
//! them changes it here, the siblings must hear of it. The transport (PostgreSQL
//! `LISTEN/NOTIFY`, in the server crate) is plugged in with [`Cluster::connect`]; until then,
//! and always on SQLite, a process has no siblings and [`Cluster::tell`] does nothing.
//!
//! Delivery itself needs no signal to be safe: workers claim rows `FOR UPDATE SKIP LOCKED`.
//! Signals are best effort, like the events they carry: a sibling that misses one still finds
//! the work on its next poll and the policy on its next change.

use crate::streaming::Event;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};
use tokio::sync::mpsc;

/// What a process tells its siblings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "signal", rename_all = "snake_case")]
pub enum Signal {
    /// A live event for streaming clients connected to any process.
    Stream { event: Event },
    /// Intents were committed: delivery workers look at the queue now.
    Outbox,
    /// The federation policy changed (a block, an allow, a list applied).
    Policy,
}

/// The wire form: who said it, so a process skips its own signals coming back.
#[derive(Serialize, Deserialize)]
struct Envelope {
    from: u64,
    #[serde(flatten)]
    signal: Signal,
}

/// This process's end of the channel between siblings. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Cluster {
    /// Random per process.
    me: u64,
    outgoing: Arc<OnceLock<mpsc::UnboundedSender<String>>>,
}

impl Default for Cluster {
    fn default() -> Self {
        Self {
            me: uuid::Uuid::new_v4().as_u64_pair().0,
            outgoing: Arc::default(),
        }
    }
}

impl Cluster {
    /// Sends `signal` to the siblings, if a transport is connected.
    pub fn tell(&self, signal: Signal) {
        if let Some(out) = self.outgoing.get() {
            let envelope = Envelope {
                from: self.me,
                signal,
            };
            if let Ok(text) = serde_json::to_string(&envelope) {
                let _ = out.send(text);
            }
        }
    }

    /// Plugs a transport in: it receives every outgoing signal as text. `None` when one
    /// already is.
    pub fn connect(&self) -> Option<mpsc::UnboundedReceiver<String>> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.outgoing.set(tx).ok().map(|()| rx)
    }

    /// Reads a sibling's signal; `None` for our own (already acted on) or unreadable text.
    pub fn read(&self, text: &str) -> Option<Signal> {
        let envelope: Envelope = serde_json::from_str(text).ok()?;
        (envelope.from != self.me).then_some(envelope.signal)
    }
}

/// Acts on a sibling's signal as if it had happened in this process.
pub fn apply(ctx: &crate::Context, signal: Signal) {
    match signal {
        Signal::Stream { event } => ctx.stream.publish_here(event),
        Signal::Outbox => ctx.outbox_signal.notify_one(),
        Signal::Policy => crate::moderation::forget_policy(ctx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_reach_siblings_and_not_their_sender() {
        let (a, b) = (Cluster::default(), Cluster::default());
        let mut wire = a.connect().unwrap();
        assert!(a.connect().is_none(), "one transport per process");
        a.tell(Signal::Stream {
            event: Event::Post(42),
        });
        a.tell(Signal::Policy);
        let first = wire.try_recv().unwrap();
        assert_eq!(
            b.read(&first),
            Some(Signal::Stream {
                event: Event::Post(42)
            })
        );
        assert_eq!(a.read(&first), None);
        assert_eq!(b.read(&wire.try_recv().unwrap()), Some(Signal::Policy));
        assert_eq!(b.read("not json"), None);
    }

    #[test]
    fn a_process_without_transport_tells_nobody() {
        let lonely = Cluster::default();
        lonely.tell(Signal::Outbox);
        assert!(lonely.connect().unwrap().try_recv().is_err());
    }
}
