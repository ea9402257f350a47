//! Polls, as Mastodon runs them: a post carries two to four options, one or several choices,
//! and an end. Tallies of our own polls are counted here and sent out in an `Update` of the
//! post; a vote on another server's poll goes to its author, who sends the tallies back.
//! When a poll ends, its local author and local voters are notified.

use crate::{
    Actor, Context, CoreError, Post,
    error::{CoreResult, OrNotFound},
    notifications::{self, Kind, Recipient},
    outbox::{self, Intent},
    posts,
};
use passage_db::{
    Timestamp,
    entities::{poll_votes, polls},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use std::collections::HashMap;

pub type Poll = polls::Model;

/// Limits clients read from the instance's `configuration.polls` (Mastodon's defaults).
pub const MAX_OPTIONS: usize = 4;
pub const MAX_OPTION_CHARS: usize = 50;
pub const MIN_EXPIRY_SECS: i64 = 300;
pub const MAX_EXPIRY_SECS: i64 = 2_629_746;

/// A poll a local author attaches to a new post.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct NewPoll {
    pub options: Vec<String>,
    pub expires_in_secs: i64,
    pub multiple: bool,
    pub hide_totals: bool,
}

impl NewPoll {
    pub fn check(&self) -> CoreResult<()> {
        let invalid = |m: String| Err(CoreError::Invalid(m));
        if self.options.len() < 2 || self.options.len() > MAX_OPTIONS {
            return invalid(format!("poll must have 2 to {MAX_OPTIONS} options"));
        }
        for (i, option) in self.options.iter().enumerate() {
            let option = option.trim();
            if option.is_empty() || option.chars().count() > MAX_OPTION_CHARS {
                return invalid(format!(
                    "poll option {} must have 1 to {MAX_OPTION_CHARS} characters",
                    i + 1
                ));
            }
            if self.options[..i].iter().any(|o| o.trim() == option) {
                return invalid("poll options must differ".into());
            }
        }
        if !(MIN_EXPIRY_SECS..=MAX_EXPIRY_SECS).contains(&self.expires_in_secs) {
            return invalid(format!(
                "poll expires_in must be between {MIN_EXPIRY_SECS} and {MAX_EXPIRY_SECS} seconds"
            ));
        }
        Ok(())
    }
}

/// A poll as another server describes it in its `Question`.
#[derive(Clone, Debug)]
pub struct RemotePoll {
    /// Each option's title and its count of votes.
    pub options: Vec<(String, i64)>,
    pub multiple: bool,
    pub expires_at: Option<Timestamp>,
    pub voters_count: Option<i64>,
}

/// One option as a reader sees it: its count is hidden while the author asks for that.
#[derive(Clone, Debug)]
pub struct OptionView {
    pub title: String,
    pub votes: Option<i64>,
}

/// A poll as `viewer` sees it.
#[derive(Clone, Debug)]
pub struct PollView {
    /// The poll's id is its post's.
    pub id: i64,
    pub options: Vec<OptionView>,
    pub votes_count: i64,
    pub voters_count: Option<i64>,
    pub multiple: bool,
    pub expires_at: Option<Timestamp>,
    pub expired: bool,
    pub voted: bool,
    pub own_votes: Vec<i32>,
}

fn decode<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

fn encode<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

fn titles(poll: &Poll) -> Vec<String> {
    decode(&poll.options)
}

fn tallies(poll: &Poll) -> Vec<i64> {
    let mut counts: Vec<i64> = decode(&poll.tallies);
    counts.resize(titles(poll).len(), 0);
    counts
}

fn expired(poll: &Poll) -> bool {
    poll.ended_at.is_some() || poll.expires_at.is_some_and(|at| at <= now())
}

/// Stores the poll of a post a local author is creating, in the post's transaction.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    post_id: i64,
    new: &NewPoll,
) -> CoreResult<()> {
    let options: Vec<String> = new.options.iter().map(|o| o.trim().to_owned()).collect();
    polls::ActiveModel {
        post_id: Set(post_id),
        tallies: Set(encode(&vec![0_i64; options.len()])),
        options: Set(encode(&options)),
        voters_count: Set(Some(0)),
        multiple: Set(new.multiple),
        hide_totals: Set(new.hide_totals),
        expires_at: Set(Some(now() + chrono::Duration::seconds(new.expires_in_secs))),
        ended_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Stores or refreshes the poll of a remote post from its author's `Question`. When the
/// options themselves change, our members' votes no longer mean anything and are dropped.
pub(crate) async fn set_remote(
    db: &impl ConnectionTrait,
    post_id: i64,
    remote: &RemotePoll,
) -> CoreResult<()> {
    let options: Vec<String> = remote.options.iter().map(|(t, _)| t.clone()).collect();
    let counts: Vec<i64> = remote.options.iter().map(|(_, n)| (*n).max(0)).collect();
    let existing = polls::Entity::find_by_id(post_id).one(db).await?;
    let known = existing.is_some();
    let mut row = match existing {
        Some(poll) => {
            if titles(&poll) != options {
                poll_votes::Entity::delete_many()
                    .filter(poll_votes::Column::PollId.eq(post_id))
                    .exec(db)
                    .await?;
            }
            polls::ActiveModel::from(poll)
        }
        None => polls::ActiveModel {
            post_id: Set(post_id),
            hide_totals: Set(false),
            ended_at: Set(None),
            ..Default::default()
        },
    };
    row.options = Set(encode(&options));
    row.tallies = Set(encode(&counts));
    row.voters_count = Set(remote.voters_count.map(|n| n.max(0)));
    row.multiple = Set(remote.multiple);
    row.expires_at = Set(remote.expires_at);
    // `save` would take the set key for an existing row.
    if known {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    Ok(())
}

pub async fn of_post(ctx: &Context, post_id: i64) -> CoreResult<Option<Poll>> {
    Ok(polls::Entity::find_by_id(post_id).one(&ctx.db).await?)
}

/// The options of a poll with their counts (for federation's `Question`).
pub fn options(poll: &Poll) -> Vec<(String, i64)> {
    titles(poll).into_iter().zip(tallies(poll)).collect()
}

pub fn is_closed(poll: &Poll) -> bool {
    expired(poll)
}

/// The polls of these posts as `viewer` sees them; `posts` pairs each post id with its author.
pub async fn views(
    ctx: &Context,
    viewer: Option<&Actor>,
    posts: &[(i64, i64)],
) -> CoreResult<HashMap<i64, PollView>> {
    let ids: Vec<i64> = posts.iter().map(|(id, _)| *id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = polls::Entity::find()
        .filter(polls::Column::PostId.is_in(ids.clone()))
        .all(&ctx.reader)
        .await?;
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let mut own: HashMap<i64, Vec<i32>> = HashMap::new();
    if let Some(viewer) = viewer {
        let votes: Vec<(i64, i32)> = poll_votes::Entity::find()
            .select_only()
            .column(poll_votes::Column::PollId)
            .column(poll_votes::Column::Choice)
            .filter(poll_votes::Column::ActorId.eq(viewer.id))
            .filter(poll_votes::Column::PollId.is_in(ids))
            .into_tuple()
            .all(&ctx.reader)
            .await?;
        for (poll, choice) in votes {
            own.entry(poll).or_default().push(choice);
        }
    }
    let authors: HashMap<i64, i64> = posts.iter().copied().collect();
    Ok(rows
        .into_iter()
        .map(|poll| {
            let is_author = viewer.is_some_and(|v| authors.get(&poll.post_id) == Some(&v.id));
            let view = view_of(&poll, own.remove(&poll.post_id), is_author);
            (poll.post_id, view)
        })
        .collect())
}

fn view_of(poll: &Poll, own_votes: Option<Vec<i32>>, is_author: bool) -> PollView {
    let expired = expired(poll);
    let counts = tallies(poll);
    let shown = !poll.hide_totals || expired || is_author;
    let mut own_votes = own_votes.unwrap_or_default();
    own_votes.sort_unstable();
    PollView {
        id: poll.post_id,
        votes_count: counts.iter().sum(),
        options: titles(poll)
            .into_iter()
            .zip(&counts)
            .map(|(title, n)| OptionView {
                title,
                votes: shown.then_some(*n),
            })
            .collect(),
        voters_count: poll.voters_count,
        multiple: poll.multiple,
        expires_at: poll.expires_at,
        expired,
        voted: is_author || !own_votes.is_empty(),
        own_votes,
    }
}

/// The poll of a post `viewer` may see.
pub async fn view(ctx: &Context, viewer: Option<&Actor>, post: &Post) -> CoreResult<PollView> {
    if !posts::can_view(ctx, viewer, post).await? {
        return Err(CoreError::NotFound);
    }
    views(ctx, viewer, &[(post.id, post.author_id)])
        .await?
        .remove(&post.id)
        .or_not_found()
}

/// A local member votes. Choices are option indexes; a single-choice poll takes exactly one.
/// One may vote once per poll, before it ends, and not on one's own.
pub async fn vote(
    ctx: &Context,
    voter: &Actor,
    post: &Post,
    choices: &[usize],
) -> CoreResult<PollView> {
    if !posts::can_view(ctx, Some(voter), post).await? {
        return Err(CoreError::NotFound);
    }
    let poll = of_post(ctx, post.id).await?.or_not_found()?;
    if post.author_id == voter.id {
        return Err(CoreError::Invalid(
            "you cannot vote in your own poll".into(),
        ));
    }
    if expired(&poll) {
        return Err(CoreError::Invalid("the poll has already ended".into()));
    }
    let mut choices = choices.to_vec();
    choices.sort_unstable();
    choices.dedup();
    let count = titles(&poll).len();
    if choices.is_empty() || choices.iter().any(|c| *c >= count) {
        return Err(CoreError::Invalid(format!(
            "choices must be option numbers from 0 to {}",
            count - 1
        )));
    }
    if !poll.multiple && choices.len() > 1 {
        return Err(CoreError::Invalid("this poll takes one choice".into()));
    }
    let txn = ctx.db.begin().await?;
    // Counted under the poll's lock, so simultaneous votes all count.
    let poll = locked(&txn, poll.post_id).await?;
    if has_voted(&txn, poll.post_id, voter.id).await? {
        return Err(CoreError::Invalid(
            "you have already voted on this poll".into(),
        ));
    }
    let mut vote_ids = Vec::new();
    for choice in &choices {
        // Votes on remote polls are objects of their own that the author's server receives.
        let ap_id = (!post.local).then(|| format!("{}#votes/{}", voter.ap_id, ctx.ids.next()));
        vote_ids.push(insert_vote(&txn, poll.post_id, voter.id, *choice, ap_id).await?);
    }
    let poll = add_tallies(&txn, poll, &choices, true).await?;
    if post.local {
        send_tallies(&txn, post).await?;
    } else {
        for vote_id in vote_ids {
            outbox::record(&txn, voter.id, &Intent::PollVote { vote_id }).await?;
        }
    }
    txn.commit().await?;
    outbox::notify(ctx);
    Ok(view_of(
        &poll,
        Some(choices.iter().map(|c| *c as i32).collect()),
        false,
    ))
}

/// Queues an `Update` of our poll with its tallies as they will be when it is rendered; one
/// pending at a time, however many votes arrive meanwhile.
async fn send_tallies(db: &impl ConnectionTrait, post: &Post) -> CoreResult<()> {
    outbox::record_once(db, post.author_id, &Intent::UpdatePost { post_id: post.id }).await
}

/// The poll row, locked until the transaction ends (PostgreSQL; SQLite's one writer
/// serialises on its own).
async fn locked(db: &impl ConnectionTrait, post_id: i64) -> CoreResult<Poll> {
    polls::Entity::find_by_id(post_id)
        .lock_exclusive()
        .one(db)
        .await?
        .or_not_found()
}

async fn has_voted(db: &impl ConnectionTrait, poll_id: i64, actor_id: i64) -> CoreResult<bool> {
    Ok(poll_votes::Entity::find()
        .filter(poll_votes::Column::PollId.eq(poll_id))
        .filter(poll_votes::Column::ActorId.eq(actor_id))
        .one(db)
        .await?
        .is_some())
}

async fn insert_vote(
    db: &impl ConnectionTrait,
    poll_id: i64,
    actor_id: i64,
    choice: usize,
    ap_id: Option<String>,
) -> CoreResult<i64> {
    let row = poll_votes::ActiveModel {
        poll_id: Set(poll_id),
        actor_id: Set(actor_id),
        choice: Set(i32::try_from(choice).unwrap_or(i32::MAX)),
        ap_id: Set(ap_id),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Adds one vote to each chosen option, and a voter when `new_voter`.
async fn add_tallies(
    db: &impl ConnectionTrait,
    poll: Poll,
    choices: &[usize],
    new_voter: bool,
) -> CoreResult<Poll> {
    let mut counts = tallies(&poll);
    for choice in choices {
        if let Some(n) = counts.get_mut(*choice) {
            *n += 1;
        }
    }
    let voters = poll.voters_count.map(|n| n + i64::from(new_voter));
    let mut row = polls::ActiveModel::from(poll);
    row.tallies = Set(encode(&counts));
    row.voters_count = Set(voters);
    Ok(row.update(db).await?)
}

/// A vote from another server on one of our polls: `option` is the chosen option's title.
/// Returns false when `question` is not a poll of ours (the object is then an ordinary
/// reply). Votes after the end, repeated votes and second choices on single-choice polls
/// are dropped, as Mastodon drops them.
pub async fn receive_vote(
    ctx: &Context,
    voter: &Actor,
    question: &str,
    option: &str,
    vote_ap_id: &str,
) -> CoreResult<bool> {
    let Some(post) = posts::by_ap_id(ctx, question).await? else {
        return Ok(false);
    };
    let Some(poll) = of_post(ctx, post.id).await?.filter(|_| post.local) else {
        return Ok(false);
    };
    if !posts::can_view(ctx, Some(voter), &post).await? {
        return Err(CoreError::Forbidden(
            "the poll is not addressed to the voter".into(),
        ));
    }
    let choice = titles(&poll)
        .iter()
        .position(|t| t == option)
        .ok_or_else(|| CoreError::Invalid(format!("the poll has no option {option:?}")))?;
    let txn = ctx.db.begin().await?;
    let poll = locked(&txn, poll.post_id).await?;
    if expired(&poll) || post.author_id == voter.id {
        return Ok(true);
    }
    let earlier: Vec<(i32, Option<String>)> = poll_votes::Entity::find()
        .select_only()
        .column(poll_votes::Column::Choice)
        .column(poll_votes::Column::ApId)
        .filter(poll_votes::Column::PollId.eq(poll.post_id))
        .filter(poll_votes::Column::ActorId.eq(voter.id))
        .into_tuple()
        .all(&txn)
        .await?;
    let repeated = earlier
        .iter()
        .any(|(c, id)| *c as usize == choice || id.as_deref() == Some(vote_ap_id));
    if repeated || (!poll.multiple && !earlier.is_empty()) {
        return Ok(true);
    }
    insert_vote(
        &txn,
        poll.post_id,
        voter.id,
        choice,
        Some(vote_ap_id.to_owned()),
    )
    .await?;
    add_tallies(&txn, poll, &[choice], earlier.is_empty()).await?;
    send_tallies(&txn, &post).await?;
    txn.commit().await?;
    outbox::notify(ctx);
    // An organisation's question about an event: the vote is an answer to it.
    crate::events::by_poll::receive_vote(ctx, &post, voter, choice).await?;
    Ok(true)
}

/// A vote of a local member, with the poll's post, for federation to send.
pub async fn vote_by_id(
    ctx: &Context,
    vote_id: i64,
) -> CoreResult<(poll_votes::Model, Post, String)> {
    let vote = poll_votes::Entity::find_by_id(vote_id)
        .one(&ctx.db)
        .await?
        .or_not_found()?;
    let post = posts::by_id(ctx, vote.poll_id).await?;
    let poll = of_post(ctx, post.id).await?.or_not_found()?;
    let title = titles(&poll)
        .get(vote.choice as usize)
        .cloned()
        .or_not_found()?;
    Ok((vote, post, title))
}

/// Handles polls whose time is up: each is marked ended, its local author and local voters
/// are notified, and our own polls send their final tallies. Returns how many ended.
pub async fn end_due(ctx: &Context) -> CoreResult<usize> {
    let due = polls::Entity::find()
        .filter(polls::Column::EndedAt.is_null())
        .filter(polls::Column::ExpiresAt.lte(now()))
        .limit(100)
        .all(&ctx.db)
        .await?;
    let ended = due.len();
    for poll in due {
        let post = posts::by_id(ctx, poll.post_id).await?;
        let voter_ids: Vec<i64> = poll_votes::Entity::find()
            .select_only()
            .column(poll_votes::Column::ActorId)
            .distinct()
            .filter(poll_votes::Column::PollId.eq(poll.post_id))
            .into_tuple()
            .all(&ctx.db)
            .await?;
        let voters = passage_db::queries::actors::by_ids(&ctx.db, &voter_ids).await?;
        let txn = ctx.db.begin().await?;
        let mut row = polls::ActiveModel::from(poll);
        row.ended_at = Set(Some(now()));
        row.update(&txn).await?;
        let mut events = Vec::new();
        if post.deleted_at.is_none() {
            let recipients = voters
                .iter()
                .map(Recipient::from)
                .chain(post.local.then(|| Recipient::author_of(&post)));
            for to in recipients {
                events.extend(
                    notifications::record(&txn, to, post.author_id, Kind::Poll, Some(post.id))
                        .await?,
                );
            }
            if post.local {
                send_tallies(&txn, &post).await?;
            }
        }
        txn.commit().await?;
        outbox::notify(ctx);
        ctx.stream.publish(events);
    }
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll(options: &[&str], expires_in_secs: i64) -> NewPoll {
        NewPoll {
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            expires_in_secs,
            multiple: false,
            hide_totals: false,
        }
    }

    #[test]
    fn new_polls_are_checked_against_mastodons_limits() {
        assert!(poll(&["yes", "no"], 300).check().is_ok());
        assert!(poll(&["only one"], 300).check().is_err());
        assert!(poll(&["a", "b", "c", "d", "e"], 300).check().is_err());
        assert!(poll(&["yes", "yes "], 300).check().is_err());
        assert!(poll(&["yes", " "], 300).check().is_err());
        assert!(poll(&["yes", &"x".repeat(51)], 300).check().is_err());
        assert!(poll(&["yes", "no"], 299).check().is_err());
        assert!(poll(&["yes", "no"], MAX_EXPIRY_SECS + 1).check().is_err());
    }
}
