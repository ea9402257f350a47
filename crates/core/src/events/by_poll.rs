//! Answers from people whose server knows no event answers (Mastodon has no `Join`): on the
//! event's page they give their handle, and the organisation sends them a direct post, in
//! reply to the event, with a two-option poll ("Going", "Not going", in the event's
//! language). Mastodon shows it as a private mention with a poll; their vote comes back as an
//! ordinary poll vote, which is recorded as their answer, and they get a direct reply saying
//! where they stand (a seat, the waiting list, or waiting for the organisers).
//!
//! A Mastodon poll takes one vote, so changing one's answer takes a new question: asking
//! again while the last question is unanswered returns that question; once it is answered,
//! a new one is sent (at most [`MAX_QUESTIONS_PER_PERSON`]), and its vote replaces the
//! answer. When their standing changes later (a seat frees up, an organiser decides), they
//! are told the same way.

use super::{Event, get, rsvp, text};
use crate::{
    Actor, Context, Post, accounts,
    error::{CoreError, CoreResult},
    polls::{self, NewPoll},
    posts::{self, NewPost},
    visibility::Visibility,
};
use passage_db::{
    entities::{poll_votes, posts as post_rows},
    now,
    queries::posts as pq,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Most questions about one event sent in an hour: the page's form takes any address, and the
/// organisation must not become a way to message strangers in bulk.
pub const MAX_QUESTIONS_PER_HOUR: u64 = 60;

/// Most questions about one event sent to one person: each answered one lets them change
/// their answer once more.
pub const MAX_QUESTIONS_PER_PERSON: u32 = 10;

/// Sends `invitee` the organisation's question about the event `post_id`, or gives back the
/// one they have not answered yet.
pub async fn ask(ctx: &Context, post_id: i64, invitee: &Actor) -> CoreResult<Post> {
    let (post, event) = get(ctx, post_id).await?;
    if !post.local || !Visibility::parse(&post.visibility)?.is_public() {
        return Err(CoreError::NotFound);
    }
    rsvp::open_to_answers(&post, &event)?;
    let host = accounts::by_id(ctx, post.author_id).await?;
    if invitee.id == host.id {
        return Err(CoreError::Invalid("handle: that is the organiser".into()));
    }
    let key = match last_question(ctx, &host, post_id, invitee).await? {
        Asked::Unanswered(question) => return Ok(*question),
        Asked::Next(key) => key,
    };
    let recent = post_rows::Entity::find()
        .filter(post_rows::Column::AuthorId.eq(host.id))
        .filter(post_rows::Column::InReplyToId.eq(post.id))
        .filter(post_rows::Column::Visibility.eq(Visibility::Direct.as_str()))
        .filter(post_rows::Column::PublishedAt.gt(now() - chrono::Duration::hours(1)))
        .count(&ctx.db)
        .await?;
    if recent >= MAX_QUESTIONS_PER_HOUR {
        return Err(CoreError::Invalid(
            "many people are answering this event: try again in an hour".into(),
        ));
    }
    let language = post.language.as_deref().unwrap_or("en");
    let (question, options) = text::poll_words(language);
    let handle = format!("@{}@{}", invitee.username, invitee.domain);
    let text = format!(
        "{handle} {question} {}\n{}\n{}",
        event.name,
        text::when(&event, language),
        post.url.as_deref().unwrap_or(&post.ap_id)
    );
    // Open until the event starts, within what polls allow.
    let until_start = (event.starts_at - now()).num_seconds();
    let expires_in_secs = until_start.clamp(polls::MIN_EXPIRY_SECS, polls::MAX_EXPIRY_SECS);
    let new = NewPost {
        visibility: Visibility::Direct,
        in_reply_to: Some(post.id),
        language: post.language.clone(),
        mentions: vec![invitee.clone()],
        idempotency_key: Some(key),
        poll: Some(NewPoll {
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            expires_in_secs,
            multiple: false,
            hide_totals: true,
        }),
        ..NewPost::public(&text)
    };
    posts::create(ctx, &host, new).await
}

/// Where the questions to one person about one event stand.
enum Asked {
    /// The last question sent, not voted on yet.
    Unanswered(Box<Post>),
    /// Every question sent was answered: the key of the next one.
    Next(String),
}

/// The questions sent to `invitee` are found by their idempotency keys, one per round.
async fn last_question(
    ctx: &Context,
    host: &Actor,
    post_id: i64,
    invitee: &Actor,
) -> CoreResult<Asked> {
    let first = format!("event-poll:{post_id}:{}", invitee.id);
    for round in 0..MAX_QUESTIONS_PER_PERSON {
        let key = match round {
            0 => first.clone(),
            n => format!("{first}:{n}"),
        };
        let Some(question) = pq::by_idempotency_key(&ctx.db, host.id, &key).await? else {
            return Ok(Asked::Next(key));
        };
        let answered = poll_votes::Entity::find()
            .filter(poll_votes::Column::PollId.eq(question.id))
            .filter(poll_votes::Column::ActorId.eq(invitee.id))
            .count(&ctx.db)
            .await?
            > 0;
        if !answered {
            return Ok(Asked::Unanswered(Box::new(question)));
        }
    }
    Err(CoreError::Invalid(
        "handle: you have changed your answer many times; please write to the organisers".into(),
    ))
}

/// A vote on one of our polls: when the poll is an event's question (a direct post of the
/// event's host in reply to it), the vote is `voter`'s answer. Choice 0 is "going".
pub async fn receive_vote(
    ctx: &Context,
    poll_post: &Post,
    voter: &Actor,
    choice: usize,
) -> CoreResult<()> {
    let Some((event_post, event)) = question_of(ctx, poll_post).await? else {
        return Ok(());
    };
    let host = accounts::by_id(ctx, event_post.author_id).await?;
    let outcome = if choice == 0 {
        let answer = rsvp::Answer {
            style: rsvp::Style::Poll,
            ..rsvp::Answer::local()
        };
        match rsvp::answer(ctx, voter, event_post.id, answer).await {
            Ok(state) => state_line(state),
            Err(CoreError::Invalid(why)) => why,
            Err(e) => return Err(e),
        }
    } else {
        rsvp::leave(ctx, voter, event_post.id).await?;
        "✗".to_owned()
    };
    send(
        ctx,
        &host,
        &event_post,
        &event,
        poll_post.id,
        voter,
        &outcome,
    )
    .await?;
    Ok(())
}

/// Tells those who answered by poll and were just given a seat.
pub(crate) async fn tell_seated(ctx: &Context, event_post_id: i64, seated: &[rsvp::Participant]) {
    let changes: Vec<_> = seated
        .iter()
        .map(|p| (p.clone(), Some(rsvp::State::Going)))
        .collect();
    tell(ctx, event_post_id, &changes).await;
}

/// Tells those who answered by poll where they now stand (`None`: refused). Failing to tell
/// never undoes the change: it is logged.
pub(crate) async fn tell(
    ctx: &Context,
    event_post_id: i64,
    changes: &[(rsvp::Participant, Option<rsvp::State>)],
) {
    let by_poll: Vec<_> = changes
        .iter()
        .filter(|(p, _)| p.style == rsvp::Style::Poll.as_str())
        .collect();
    if by_poll.is_empty() {
        return;
    }
    let told = async {
        let (event_post, event) = get(ctx, event_post_id).await?;
        let host = accounts::by_id(ctx, event_post.author_id).await?;
        for (participant, state) in by_poll {
            let line = state.map_or_else(|| "✗".to_owned(), state_line);
            let who = accounts::by_id(ctx, participant.actor_id).await?;
            send(ctx, &host, &event_post, &event, event_post.id, &who, &line).await?;
        }
        Ok::<_, CoreError>(())
    };
    if let Err(e) = told.await {
        tracing::warn!(event = event_post_id, error = %e, "could not tell a poll answerer");
    }
}

/// A direct post from the host to `to` about the event, in reply to `in_reply_to`.
async fn send(
    ctx: &Context,
    host: &Actor,
    event_post: &Post,
    event: &Event,
    in_reply_to: i64,
    to: &Actor,
    line: &str,
) -> CoreResult<Post> {
    let handle = format!("@{}@{}", to.username, to.domain);
    let reply = NewPost {
        visibility: Visibility::Direct,
        in_reply_to: Some(in_reply_to),
        language: event_post.language.clone(),
        mentions: vec![to.clone()],
        ..NewPost::public(&format!("{handle} {}: {line}", event.name))
    };
    posts::create(ctx, host, reply).await
}

/// The event a poll asks about, if it is one of our event questions.
async fn question_of(ctx: &Context, poll_post: &Post) -> CoreResult<Option<(Post, Event)>> {
    let Some(parent) = poll_post.in_reply_to_id else {
        return Ok(None);
    };
    if !poll_post.local || poll_post.visibility != Visibility::Direct.as_str() {
        return Ok(None);
    }
    let Ok((event_post, event)) = get(ctx, parent).await else {
        return Ok(None);
    };
    Ok((event_post.author_id == poll_post.author_id).then_some((event_post, event)))
}

/// Where the voter stands, as a symbol and a word peers' members all read.
fn state_line(state: rsvp::State) -> String {
    match state {
        rsvp::State::Going => "✓ going",
        rsvp::State::Waiting => "⏳ waiting list",
        rsvp::State::Pending => "⏳ to be confirmed by the organisers",
        rsvp::State::Maybe => "maybe",
    }
    .to_owned()
}
