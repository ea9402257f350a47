//! Generated data, written straight into the server's database before it starts: bulk rows
//! are what a long-lived instance accumulates, and making them one use case at a time would
//! take hours. Accounts that log in are made through the use cases, as sign-up would.

use passage_core::{
    Actor, Context,
    accounts::{self, ActorKind, NewAccount},
    oauth::{self, NewApp, Scopes},
};
use passage_db::entities::{actors, follows, posts};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

/// Rows per INSERT: well under SQLite's limit of bound parameters for the widest table.
const BATCH: usize = 1000;

/// Inserts `rows` in batches, one transaction per batch.
pub async fn insert_all<A>(ctx: &Context, rows: Vec<A>) -> anyhow::Result<()>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(BATCH).collect();
        let txn = ctx.db.begin().await?;
        A::Entity::insert_many(batch)
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await?;
    }
    Ok(())
}

/// A local account that logs in (an organisation or a member) and a bearer token for it.
pub async fn account_with_token(
    ctx: &Context,
    username: &str,
    kind: ActorKind,
) -> anyhow::Result<(Actor, String)> {
    let mut new = NewAccount::person(username);
    new.kind = kind;
    new.email = Some(format!("{username}@bench.example"));
    new.password = Some("correct horse battery staple".into());
    let actor = accounts::create(ctx, new).await?;
    let app = oauth::register_app(
        ctx,
        NewApp {
            name: "passage-bench".into(),
            website: None,
            redirect_uris: vec!["urn:ietf:wg:oauth:2.0:oob".into()],
            scopes: Scopes::parse("read write")?,
        },
    )
    .await?;
    let token =
        oauth::token_for_new_account(ctx, &app, &actor, Scopes::parse("read write")?).await?;
    Ok((actor, token.access_token))
}

/// A remote actor row as the instance would have fetched it.
pub fn remote_actor(username: &str, base: &str, public_pem: &str) -> actors::ActiveModel {
    let at = passage_db::now();
    let ap_id = format!("{base}/users/{username}");
    let domain = base
        .split_once("://")
        .map(|(_, host)| host)
        .unwrap_or(base)
        .to_owned();
    actors::ActiveModel {
        ap_id: Set(ap_id.clone()),
        kind: Set("Person".into()),
        username: Set(username.to_owned()),
        domain: Set(domain),
        local: Set(false),
        display_name: Set(username.to_owned()),
        summary: Set(String::new()),
        inbox_url: Set(format!("{ap_id}/inbox")),
        shared_inbox_url: Set(Some(format!("{base}/inbox"))),
        outbox_url: Set(Some(format!("{ap_id}/outbox"))),
        followers_url: Set(Some(format!("{ap_id}/followers"))),
        following_url: Set(Some(format!("{ap_id}/following"))),
        url: Set(Some(ap_id)),
        public_key_pem: Set(public_pem.to_owned()),
        private_key_pem: Set(None),
        locked: Set(false),
        created_at: Set(at),
        updated_at: Set(at),
        fetched_at: Set(Some(at)),
        avatar_url: Set(None),
        header_url: Set(None),
        fields: Set(None),
        members_public: Set(false),
        silenced_at: Set(None),
        suspended_at: Set(None),
        sensitized_at: Set(None),
        purged_at: Set(None),
        ..Default::default()
    }
}

/// An accepted follow.
pub fn follow(n: usize, follower_id: i64, followee_id: i64) -> follows::ActiveModel {
    follows::ActiveModel {
        ap_id: Set(format!("https://bench.example/follows/{n}")),
        follower_id: Set(follower_id),
        followee_id: Set(followee_id),
        accepted: Set(true),
        created_at: Set(passage_db::now()),
        ..Default::default()
    }
}

/// Ids of the remote actors, in id order.
pub async fn remote_ids(ctx: &Context) -> anyhow::Result<Vec<i64>> {
    Ok(actors::Entity::find()
        .select_only()
        .column(actors::Column::Id)
        .filter(actors::Column::Local.eq(false))
        .order_by_asc(actors::Column::Id)
        .into_tuple::<i64>()
        .all(&ctx.db)
        .await?)
}

/// How many posts an author has (what the inbox stored).
pub async fn posts_by(ctx: &Context, author_id: i64) -> anyhow::Result<u64> {
    use sea_orm::PaginatorTrait;
    Ok(posts::Entity::find()
        .filter(posts::Column::AuthorId.eq(author_id))
        .count(&ctx.db)
        .await?)
}
