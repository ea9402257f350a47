//! Answers to events (RSVPs), from every style peers use: ActivityPub `Join`/`Leave`
//! (Mobilizon, FEP-8a8e), `Accept`/`TentativeAccept`/`Reject` of the Event itself (Friendica),
//! `Accept` of an `Invite` (Hubzilla), and our own members through the API.
//!
//! A free event with a capacity seats people in the order they answered; once it is full,
//! new answers go to a waiting list, and every freed seat (someone leaves, the capacity
//! grows) goes to the first person waiting, who is then told (`Accept` of their `Join`).
//! A restricted event holds answers as pending until an organiser decides. Who answered is
//! visible to the event's organisers only: answers are never copied to other participants.

use super::{Event, JoinMode, Status, get};
use crate::{
    Actor, Context, Post, accounts,
    error::{CoreError, CoreResult},
    outbox::{self, Intent, JoinAnswer},
};
use passage_db::{
    entities::{event_participants as ep, events},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

pub type Participant = ep::Model;

/// Where someone stands with an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Has a seat.
    Going,
    /// Interested, without a seat (Friendica's `TentativeAccept`).
    Maybe,
    /// Waits for a seat to free up.
    Waiting,
    /// Waits for an organiser's decision (restricted events), or, for our members joining
    /// an event elsewhere, for the other server's answer.
    Pending,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Going => "going",
            Self::Maybe => "maybe",
            Self::Waiting => "waiting",
            Self::Pending => "pending",
        }
    }

    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "going" => Ok(Self::Going),
            "maybe" => Ok(Self::Maybe),
            "waiting" => Ok(Self::Waiting),
            "pending" => Ok(Self::Pending),
            other => Err(CoreError::Internal(format!("unknown RSVP state {other:?}"))),
        }
    }
}

/// How an answer reached us, which decides how we reply to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// One of our members, through the API.
    Local,
    /// `Join` (Mobilizon, FEP-8a8e): answered with `Accept` or `Reject` of the Join.
    Join,
    /// `Accept`/`TentativeAccept` of the Event (Friendica): no reply expected.
    AcceptEvent,
    /// `Accept` of an `Invite` (Hubzilla, Zap): no reply expected.
    AcceptInvite,
    /// A vote on the organisation's direct poll (Mastodon): told by a direct reply.
    Poll,
}

impl Style {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Join => "join",
            Self::AcceptEvent => "accept_event",
            Self::AcceptInvite => "accept_invite",
            Self::Poll => "poll",
        }
    }
}

/// An answer to record.
#[derive(Clone, Debug)]
pub struct Answer {
    /// False for "maybe".
    pub going: bool,
    pub style: Style,
    /// The id of the peer's activity (their `Join`), to name in our reply.
    pub activity_id: Option<String>,
    pub message: Option<String>,
}

impl Answer {
    pub fn local() -> Self {
        Self {
            going: true,
            style: Style::Local,
            activity_id: None,
            message: None,
        }
    }
}

/// Records `actor`'s answer to an event and returns where they stand. On one of our events
/// a remote `Join` is answered at once when it gets a seat, and refused (`Reject`, or
/// `Ignore` when the event takes no registrations) when the event cannot take it. On an
/// event elsewhere, our member's answer is sent as a `Join` and stays pending until the
/// other server accepts it.
pub async fn answer(
    ctx: &Context,
    actor: &Actor,
    post_id: i64,
    answer: Answer,
) -> CoreResult<State> {
    let (post, event) = get(ctx, post_id).await?;
    if let Err(refusal) = open_to_answers(&post, &event) {
        if answer.style == Style::Join && !actor.local && post.local {
            let reply = if matches!(
                JoinMode::parse(&event.join_mode),
                Ok(JoinMode::None | JoinMode::External)
            ) {
                "Ignore"
            } else {
                "Reject"
            };
            let intent = join_answer(&post, actor, answer.activity_id.clone(), reply);
            outbox::record(&ctx.db, post.author_id, &intent).await?;
            outbox::notify(ctx);
        }
        return Err(refusal);
    }
    if !post.local && !actor.local {
        return Err(CoreError::Forbidden(
            "answers to this event go to its own server".into(),
        ));
    }
    let txn = ctx.db.begin().await?;
    lock_event(&txn, post_id).await?;
    let existing = participant(&txn, post_id, actor.id).await?;
    if let Some(row) = &existing {
        let state = State::parse(&row.state)?;
        if state != State::Maybe || !answer.going {
            txn.commit().await?;
            return Ok(state);
        }
    }
    let state = if !post.local {
        State::Pending
    } else if !answer.going {
        State::Maybe
    } else if JoinMode::parse(&event.join_mode)? == JoinMode::Restricted {
        State::Pending
    } else if has_seat(&txn, &event).await? {
        State::Going
    } else {
        State::Waiting
    };
    let activity_id = match (post.local, &answer.activity_id) {
        (false, _) => Some(ctx.urls.new_activity()),
        (true, id) => id.clone(),
    };
    let at = now();
    match existing {
        Some(row) => {
            let mut row: ep::ActiveModel = row.into();
            row.state = Set(state.as_str().to_owned());
            row.style = Set(answer.style.as_str().to_owned());
            row.join_ap_id = Set(activity_id.clone());
            row.updated_at = Set(at);
            row.update(&txn).await?;
        }
        None => {
            ep::ActiveModel {
                event_id: Set(post_id),
                actor_id: Set(actor.id),
                state: Set(state.as_str().to_owned()),
                style: Set(answer.style.as_str().to_owned()),
                join_ap_id: Set(activity_id.clone()),
                message: Set(answer.message.map(|m| m.chars().take(2000).collect())),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    if !post.local {
        let join_ap_id = activity_id.unwrap_or_default();
        let intent = Intent::JoinEvent {
            post_id,
            join_ap_id,
        };
        outbox::record(&txn, actor.id, &intent).await?;
    } else if state == State::Going && answer.style == Style::Join {
        let intent = join_answer(&post, actor, activity_id, "Accept");
        outbox::record(&txn, post.author_id, &intent).await?;
    }
    txn.commit().await?;
    outbox::notify(ctx);
    Ok(state)
}

/// `actor` withdraws their answer. A freed seat goes to the first person waiting; leaving an
/// event elsewhere sends a `Leave`.
pub async fn leave(ctx: &Context, actor: &Actor, post_id: i64) -> CoreResult<()> {
    let (post, event) = get(ctx, post_id).await?;
    // Read before the transaction: on SQLite it holds the only connection.
    let host = accounts::by_id(ctx, post.author_id).await?;
    let txn = ctx.db.begin().await?;
    lock_event(&txn, post_id).await?;
    let Some(row) = participant(&txn, post_id, actor.id).await? else {
        txn.commit().await?;
        return Ok(());
    };
    ep::Entity::delete_by_id(row.id).exec(&txn).await?;
    let mut seated = Vec::new();
    if post.local {
        seated = fill_seats(&txn, &host, &event).await?;
    } else if actor.local {
        let intent = Intent::LeaveEvent {
            post_id,
            join_ap_id: row.join_ap_id.unwrap_or_default(),
        };
        outbox::record(&txn, actor.id, &intent).await?;
    }
    txn.commit().await?;
    outbox::notify(ctx);
    super::by_poll::tell_seated(ctx, post_id, &seated).await;
    Ok(())
}

/// An organiser accepts or refuses a pending answer to a restricted event. Accepted people
/// get a seat, or a place on the waiting list when the event is full; refused ones are
/// removed (`None`) and told so.
pub async fn decide(
    ctx: &Context,
    by: &Actor,
    post_id: i64,
    participant_id: i64,
    accept: bool,
) -> CoreResult<Option<State>> {
    let (post, event, host) = super::managed(ctx, by, post_id).await?;
    let who = accounts::by_id(ctx, participant_id).await?;
    let txn = ctx.db.begin().await?;
    lock_event(&txn, post_id).await?;
    let row = participant(&txn, post_id, who.id)
        .await?
        .ok_or(CoreError::NotFound)?;
    if !accept {
        ep::Entity::delete_by_id(row.id).exec(&txn).await?;
        if row.style == Style::Join.as_str() {
            let intent = join_answer(&post, &who, row.join_ap_id.clone(), "Reject");
            outbox::record(&txn, host.id, &intent).await?;
        }
        let seated = fill_seats(&txn, &host, &event).await?;
        txn.commit().await?;
        outbox::notify(ctx);
        super::by_poll::tell_seated(ctx, post_id, &seated).await;
        super::by_poll::tell(ctx, post_id, &[(row, None)]).await;
        return Ok(None);
    }
    let state = State::parse(&row.state)?;
    if state != State::Pending {
        txn.commit().await?;
        return Ok(Some(state));
    }
    let state = if has_seat(&txn, &event).await? {
        State::Going
    } else {
        State::Waiting
    };
    set_state(&txn, row.clone(), state).await?;
    if state == State::Going && row.style == Style::Join.as_str() {
        let intent = join_answer(&post, &who, row.join_ap_id.clone(), "Accept");
        outbox::record(&txn, host.id, &intent).await?;
    }
    txn.commit().await?;
    outbox::notify(ctx);
    super::by_poll::tell(ctx, post_id, &[(row, Some(state))]).await;
    Ok(Some(state))
}

/// The other server answered our member's `Join` of its event.
pub async fn receive_reply(
    ctx: &Context,
    from: &Actor,
    join_ap_id: &str,
    accepted: bool,
) -> CoreResult<()> {
    let row = ep::Entity::find()
        .filter(ep::Column::JoinApId.eq(join_ap_id))
        .one(&ctx.db)
        .await?
        .ok_or(CoreError::NotFound)?;
    let (post, event) = get(ctx, row.event_id).await?;
    let host = accounts::by_id(ctx, post.author_id).await?;
    let organiser = match event.organiser_id {
        Some(id) => Some(accounts::by_id(ctx, id).await?),
        None => None,
    };
    let may_answer = from.id == host.id
        || organiser.is_some_and(|o| o.id == from.id)
        || from.domain == host.domain;
    if post.local || !may_answer {
        return Err(CoreError::Forbidden(
            "only the event's server answers a join".into(),
        ));
    }
    if accepted {
        set_state(&ctx.db, row, State::Going).await?;
    } else {
        ep::Entity::delete_by_id(row.id).exec(&ctx.db).await?;
    }
    Ok(())
}

/// Who answered one of our events, oldest first: for its organisers only.
pub async fn participants(
    ctx: &Context,
    viewer: &Actor,
    post_id: i64,
) -> CoreResult<Vec<(Actor, Participant)>> {
    super::managed(ctx, viewer, post_id).await?;
    let rows = ep::Entity::find()
        .filter(ep::Column::EventId.eq(post_id))
        .order_by_asc(ep::Column::CreatedAt)
        .order_by_asc(ep::Column::Id)
        .all(&ctx.db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.actor_id).collect();
    let actors = passage_db::queries::actors::by_ids(&ctx.db, &ids).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((actors.iter().find(|a| a.id == r.actor_id)?.clone(), r)))
        .collect())
}

/// Where `actor` stands with each of `post_ids` they answered.
pub async fn states_of(
    db: &impl ConnectionTrait,
    actor_id: i64,
    post_ids: &[i64],
) -> CoreResult<Vec<(i64, State)>> {
    let rows = ep::Entity::find()
        .filter(ep::Column::ActorId.eq(actor_id))
        .filter(ep::Column::EventId.is_in(post_ids.iter().copied()))
        .all(db)
        .await?;
    rows.iter()
        .map(|r| Ok((r.event_id, State::parse(&r.state)?)))
        .collect()
}

/// Seats taken (people going) on each of `post_ids`.
pub async fn going_counts(
    db: &impl ConnectionTrait,
    post_ids: &[i64],
) -> CoreResult<Vec<(i64, i64)>> {
    let mut out = Vec::with_capacity(post_ids.len());
    for id in post_ids {
        out.push((*id, count(db, *id, State::Going).await? as i64));
    }
    Ok(out)
}

/// Gives free seats to the people waiting longest, and queues the `Accept` each of them is
/// owed. Returns how many moved up.
pub(crate) async fn fill_seats(
    db: &impl ConnectionTrait,
    host: &Actor,
    event: &Event,
) -> CoreResult<Vec<Participant>> {
    let Some(capacity) = event.capacity else {
        return promote(db, host, event, None).await;
    };
    if Status::parse(&event.status)? == Status::Cancelled {
        return Ok(Vec::new());
    }
    let going = count(db, event.post_id, State::Going).await?;
    let free = (capacity as u64).saturating_sub(going);
    promote(db, host, event, Some(free)).await
}

async fn promote(
    db: &impl ConnectionTrait,
    host: &Actor,
    event: &Event,
    seats: Option<u64>,
) -> CoreResult<Vec<Participant>> {
    if seats == Some(0) {
        return Ok(Vec::new());
    }
    let waiting = ep::Entity::find()
        .filter(ep::Column::EventId.eq(event.post_id))
        .filter(ep::Column::State.eq(State::Waiting.as_str()))
        .order_by_asc(ep::Column::CreatedAt)
        .order_by_asc(ep::Column::Id)
        .limit(seats)
        .all(db)
        .await?;
    let post = passage_db::queries::posts::by_id(db, event.post_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let moved = waiting.clone();
    for row in waiting {
        let actor = passage_db::queries::actors::by_id(db, row.actor_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if row.style == Style::Join.as_str() {
            let intent = join_answer(&post, &actor, row.join_ap_id.clone(), "Accept");
            outbox::record(db, host.id, &intent).await?;
        }
        set_state(db, row, State::Going).await?;
    }
    Ok(moved)
}

/// Why an event takes no answers now, if it does not.
pub(crate) fn open_to_answers(post: &Post, event: &Event) -> CoreResult<()> {
    if Status::parse(&event.status)? == Status::Cancelled {
        return Err(CoreError::Invalid("this event is cancelled".into()));
    }
    if event.ends_at.unwrap_or(event.starts_at) < now() {
        return Err(CoreError::Invalid("this event is over".into()));
    }
    if post.local {
        match JoinMode::parse(&event.join_mode)? {
            JoinMode::None => {
                return Err(CoreError::Invalid(
                    "this event takes no registrations".into(),
                ));
            }
            JoinMode::External => {
                return Err(CoreError::Invalid(format!(
                    "registration for this event is at {}",
                    event
                        .external_url
                        .as_deref()
                        .unwrap_or("its organisers' site")
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

fn join_answer(post: &Post, actor: &Actor, join_ap_id: Option<String>, reply: &str) -> Intent {
    Intent::AnswerJoin(JoinAnswer {
        post_id: post.id,
        participant_id: actor.id,
        join_ap_id,
        reply: reply.to_owned(),
    })
}

async fn has_seat(db: &impl ConnectionTrait, event: &Event) -> CoreResult<bool> {
    Ok(match event.capacity {
        Some(capacity) => count(db, event.post_id, State::Going).await? < capacity as u64,
        None => true,
    })
}

async fn count(db: &impl ConnectionTrait, post_id: i64, state: State) -> CoreResult<u64> {
    Ok(ep::Entity::find()
        .filter(ep::Column::EventId.eq(post_id))
        .filter(ep::Column::State.eq(state.as_str()))
        .count(db)
        .await?)
}

async fn participant(
    db: &impl ConnectionTrait,
    post_id: i64,
    actor_id: i64,
) -> CoreResult<Option<Participant>> {
    Ok(ep::Entity::find()
        .filter(ep::Column::EventId.eq(post_id))
        .filter(ep::Column::ActorId.eq(actor_id))
        .one(db)
        .await?)
}

async fn set_state(db: &impl ConnectionTrait, row: Participant, state: State) -> CoreResult<()> {
    let mut row: ep::ActiveModel = row.into();
    row.state = Set(state.as_str().to_owned());
    row.updated_at = Set(now());
    row.update(db).await?;
    Ok(())
}

/// Serialises answers to one event (capacity checks), on PostgreSQL by locking its row;
/// SQLite runs one writer at a time anyway.
async fn lock_event(db: &impl ConnectionTrait, post_id: i64) -> CoreResult<()> {
    events::Entity::find_by_id(post_id)
        .lock_exclusive()
        .one(db)
        .await?;
    Ok(())
}
