//! The network directory, with no central server: each instance publishes the servers it
//! recognises as its network (its allowed domains, typed in or from a subscribed list), and
//! builds from its peers' lists, one or more hops away, a directory of the organisations and
//! cities of the whole network, with each server's name from its NodeInfo. Visiting the
//! servers needs HTTP (`passage_federation::directory`); what was found is kept here.

use crate::Actor;
use crate::{Context, error::CoreResult};
use passage_db::{
    entities::{actors, domain_allows, network_accounts, network_servers},
    now,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

pub type Server = network_servers::Model;
pub type Listed = network_accounts::Model;

/// How often the directory is built again.
pub const REFRESH: chrono::TimeDelta = chrono::TimeDelta::hours(6);

/// The servers this instance publishes as its network: its allowed domains, unless the
/// admin chose not to publish them.
pub async fn peers(ctx: &Context) -> CoreResult<Vec<String>> {
    if !ctx.config.federation.publish_peers {
        return Ok(Vec::new());
    }
    let mut domains: Vec<String> = domain_allows::Entity::find()
        .select_only()
        .column(domain_allows::Column::Domain)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    domains.sort();
    domains.dedup();
    Ok(domains)
}

/// One server as a visit found it.
#[derive(Clone, Debug, Default)]
pub struct Visit {
    pub domain: String,
    pub name: Option<String>,
    pub software: Option<String>,
    pub users: Option<i64>,
    pub via: Option<String>,
    pub error: Option<String>,
    pub accounts: Vec<Account>,
}

/// An organisation or city a server lists.
#[derive(Clone, Debug, Default)]
pub struct Account {
    pub ap_id: String,
    pub username: String,
    pub display_name: String,
    pub note: String,
    pub url: String,
    pub avatar: Option<String>,
}

/// Replaces the directory with what the latest round of visits found.
pub async fn store(ctx: &Context, visits: Vec<Visit>) -> CoreResult<()> {
    let at = now();
    let txn = ctx.db.begin().await?;
    network_accounts::Entity::delete_many().exec(&txn).await?;
    network_servers::Entity::delete_many().exec(&txn).await?;
    let mut seen = std::collections::HashSet::new();
    for visit in visits {
        network_servers::Entity::insert(network_servers::ActiveModel {
            domain: Set(visit.domain.clone()),
            name: Set(visit.name),
            software: Set(visit.software),
            users: Set(visit.users),
            via: Set(visit.via),
            error: Set(visit.error),
            fetched_at: Set(at),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        let rows: Vec<_> = visit
            .accounts
            .into_iter()
            .filter(|a| seen.insert(a.ap_id.clone()))
            .map(|a| network_accounts::ActiveModel {
                domain: Set(visit.domain.clone()),
                ap_id: Set(a.ap_id),
                username: Set(a.username),
                display_name: Set(a.display_name),
                note: Set(a.note),
                url: Set(a.url),
                avatar: Set(a.avatar),
                fetched_at: Set(at),
                ..Default::default()
            })
            .collect();
        if !rows.is_empty() {
            network_accounts::Entity::insert_many(rows)
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// The servers of the network, by domain.
pub async fn servers(ctx: &Context) -> CoreResult<Vec<Server>> {
    Ok(network_servers::Entity::find()
        .order_by_asc(network_servers::Column::Domain)
        .all(&ctx.db)
        .await?)
}

/// The organisations and cities of the network (of one server if `domain`), by server and
/// name.
pub async fn listed(
    ctx: &Context,
    domain: Option<&str>,
    offset: u64,
    limit: u64,
) -> CoreResult<Vec<Listed>> {
    let mut select = network_accounts::Entity::find();
    if let Some(domain) = domain {
        select = select.filter(network_accounts::Column::Domain.eq(domain));
    }
    Ok(select
        .order_by_asc(network_accounts::Column::Domain)
        .order_by_asc(network_accounts::Column::Username)
        .offset(offset)
        .limit(limit)
        .all(&ctx.db)
        .await?)
}

/// Whether the directory is older than [`REFRESH`] (or was never built).
pub async fn due(ctx: &Context) -> CoreResult<bool> {
    let last = network_servers::Entity::find()
        .order_by_desc(network_servers::Column::FetchedAt)
        .one(&ctx.db)
        .await?;
    Ok(last.is_none_or(|s| s.fetched_at < now() - REFRESH))
}

/// This instance's own directory (Mastodon's `/api/v1/directory`): its organisations and
/// cities, newest first, with those known from elsewhere unless `local_only`. Members are
/// never listed: whom an organisation's members are is theirs to tell.
pub async fn directory(
    ctx: &Context,
    local_only: bool,
    offset: u64,
    limit: u64,
) -> CoreResult<Vec<Actor>> {
    let mut select = actors::Entity::find()
        .filter(actors::Column::Kind.eq("Group"))
        .filter(actors::Column::Discoverable.eq(true))
        .filter(actors::Column::SuspendedAt.is_null())
        .filter(actors::Column::PurgedAt.is_null())
        .filter(actors::Column::MovedTo.is_null());
    if local_only {
        select = select.filter(actors::Column::Local.eq(true));
    }
    Ok(select
        .order_by_desc(actors::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(&ctx.reader)
        .await?)
}
