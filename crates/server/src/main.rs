//! `passage`: run a Passage instance and administer it from the command line.

use clap::{Parser, Subcommand};
use passage_core::{
    Context,
    accounts::{self, NewAccount, Role},
    emojis,
    moderation::{By, apply, audit, held as moderation_held, registrations},
    organisations,
    posts::{self, NewPost},
    visibility::Visibility,
};
use std::{path::PathBuf, process::ExitCode};

/// Prints a line to standard output; a closed pipe (`passage admin domain list | head`) ends
/// the output quietly instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// [`say!`] without the line break.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod domain_cli;
mod network_cli;

#[derive(Parser)]
#[command(
    name = "passage",
    version,
    about = "A federated server for the peer exchange network"
)]
struct Cli {
    /// Configuration file (TOML, same shape as config/default.toml).
    #[arg(long, global = true, env = "PASSAGE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (migrates the database first).
    Serve {
        /// The part of the work this process does. On PostgreSQL several processes may serve
        /// one instance: `web` nodes behind a load balancer and `worker`s sending deliveries.
        #[arg(long, value_enum, default_value_t = passage_server::Role::All, env = "PASSAGE_ROLE")]
        role: passage_server::Role,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load and check the configuration, print it, and exit.
    CheckConfig,
    /// Write a consistent copy of the database and media into DIR, while the server runs.
    Backup { dir: PathBuf },
    /// Write a member's following, followers, lists, blocks, mutes or bookmarks as CSV in
    /// Mastodon's format (to standard output unless --out).
    Export {
        /// The local username.
        username: String,
        /// following, followers, lists, blocks, mutes or bookmarks; or archive (a ZIP of
        /// posts as ActivityPub JSON, likes, bookmarks and uploads; needs --out).
        what: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import a CSV file (Mastodon's export formats) into a member's account, showing
    /// progress; bad lines are reported by number and the others imported. Follows of
    /// remote accounts are sent by the running server.
    Import {
        /// The local username.
        username: String,
        /// following, blocks, mutes, lists or bookmarks.
        what: String,
        file: PathBuf,
        /// merge (add to what the member has) or overwrite (make it match the file).
        #[arg(long, default_value = "merge")]
        mode: String,
    },
    /// Administer accounts, organisations and posts.
    Admin {
        #[command(subcommand)]
        command: Admin,
    },
}

#[derive(Subcommand)]
enum Admin {
    /// Member accounts.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Organisation and city actors (followable groups).
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Federation with other domains: blocks, allows, shared blocklists.
    Domain {
        #[command(subcommand)]
        command: domain_cli::DomainCommand,
    },
    /// The probation queue: unasked posts from domains on probation, waiting for a moderator.
    Held {
        #[command(subcommand)]
        command: HeldCommand,
    },
    /// Invitations: the way into an invite-only instance (and past approval elsewhere).
    Invite {
        #[command(subcommand)]
        command: InviteCommand,
    },
    /// Close this instance for good: accounts move to their successors (a `Move` to their
    /// followers' servers), the others are deleted if asked, no new accounts are taken, and
    /// the server keeps answering with redirects for the days chosen, then stops serving.
    Shutdown {
        /// A CSV file of `username,successor` lines (successor: user@domain or actor URL).
        /// Each successor must first name the old account as an alias.
        #[arg(long)]
        successors: Option<PathBuf>,
        /// Delete the accounts that have no successor (a `Delete` to every known server).
        #[arg(long)]
        delete_others: bool,
        /// Days to keep answering with redirects.
        #[arg(long, default_value_t = 90)]
        redirect_days: u32,
        /// Confirm: this cannot be undone.
        #[arg(long)]
        yes: bool,
    },
    /// The network directory: the organisations and cities of the servers of the network.
    Network {
        #[command(subcommand)]
        command: network_cli::NetworkCommand,
    },
    /// Relays: servers passing public posts between their subscribers.
    Relay {
        #[command(subcommand)]
        command: network_cli::RelayCommand,
    },
    /// The audit log of moderation actions, newest first.
    Audit {
        #[arg(long, default_value_t = 40)]
        limit: u64,
    },
    /// Custom emoji members can use as `:shortcode:`.
    Emoji {
        #[command(subcommand)]
        command: EmojiCommand,
    },
    /// Publish a post as a local actor (before the client API exists, and for scripts).
    Post {
        /// The local username to post as.
        username: String,
        /// The text.
        text: String,
        /// public, unlisted, private (followers only) or direct.
        #[arg(long, default_value = "public")]
        visibility: String,
    },
}

#[derive(Subcommand)]
enum HeldCommand {
    /// List what waits, oldest first.
    List,
    /// Let a post in: it is stored as it arrived (mentions notify, timelines show it).
    Approve { id: i64 },
    /// Turn a post down: it is dropped.
    Reject { id: i64 },
}

#[derive(Subcommand)]
enum InviteCommand {
    /// Make an invitation; its code is printed.
    Create {
        /// How many sign-ups it allows (default: any number).
        #[arg(long)]
        max_uses: Option<i32>,
        /// Days until it expires (default: never).
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
    /// List invitations with their uses.
    List,
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Create a member account with a login.
    Create {
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// admin, moderator or member.
        #[arg(long, default_value = "member")]
        role: String,
        /// Follow requests wait for approval.
        #[arg(long)]
        locked: bool,
    },
    /// List local members and organisations.
    List,
    /// Approve a registration that waits for approval.
    Approve { username: String },
}

#[derive(Subcommand)]
enum EmojiCommand {
    /// Add an emoji from a PNG, JPEG, GIF or WebP file (fitted into 128×128).
    Add {
        /// 2-64 letters, digits or underscores, e.g. `mile_logo`.
        shortcode: String,
        file: PathBuf,
        /// The picker group it shows in.
        #[arg(long)]
        category: Option<String>,
    },
    /// List the instance's emoji.
    List,
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create an organisation or city actor.
    Create {
        username: String,
        /// Display name, e.g. "City of Riga".
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        summary: String,
        /// A member who becomes the organisation's first admin.
        #[arg(long)]
        admin: Option<String>,
    },
    /// Add a member to an organisation, or change their role.
    Member {
        org: String,
        member: String,
        /// admin, moderator (both publish as the organisation) or member.
        #[arg(long, default_value = "member")]
        role: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match passage_server::config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("passage: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&config);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("passage: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("passage: {e}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(config: &passage_core::config::Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log.level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Logs go to standard error, so command output (`domain export > list.csv`) stays clean.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match config.log.format {
        passage_core::config::LogFormat::Json => builder.json().try_init(),
        passage_core::config::LogFormat::Text => builder.try_init(),
    };
}

async fn run(command: Command, config: passage_core::config::Config) -> Result<(), String> {
    match command {
        Command::CheckConfig => {
            say!("{config:#?}");
            Ok(())
        }
        Command::Migrate => {
            passage_server::open_database(&config)
                .await
                .map_err(|e| e.to_string())?;
            say!("database is up to date");
            Ok(())
        }
        Command::Serve { role } => serve(config, role).await,
        Command::Backup { dir } => {
            let ctx = passage_server::context(config, None)
                .await
                .map_err(|e| e.to_string())?;
            let done = passage_core::backup::run(&ctx, &dir)
                .await
                .map_err(|e| e.to_string())?;
            say!(
                "backed up {} and {} media files into {}",
                done.database.display(),
                done.media_files,
                dir.display()
            );
            if ctx.media.directory().is_none() {
                say!("media are in the S3 bucket: back it up with the store's own tools");
            }
            Ok(())
        }
        Command::Export {
            username,
            what,
            out,
        } => {
            let ctx = passage_server::context(config, None)
                .await
                .map_err(|e| e.to_string())?;
            network_cli::export(&ctx, &username, &what, out).await
        }
        Command::Import {
            username,
            what,
            file,
            mode,
        } => {
            let ctx = passage_server::context(config, None)
                .await
                .map_err(|e| e.to_string())?;
            network_cli::import(ctx, &username, &what, &file, &mode).await
        }
        Command::Admin { command } => {
            let ctx = passage_server::context(config, None)
                .await
                .map_err(|e| e.to_string())?;
            admin(&ctx, command).await.map_err(|e| e.to_string())
        }
    }
}

async fn serve(
    config: passage_core::config::Config,
    role: passage_server::Role,
) -> Result<(), String> {
    let bind = config.http.bind.clone();
    let ctx = passage_server::context(config, None)
        .await
        .map_err(|e| e.to_string())?;
    let listener = match role {
        passage_server::Role::Worker => None,
        _ => Some(
            tokio::net::TcpListener::bind(&bind)
                .await
                .map_err(|e| format!("cannot listen on {bind}: {e}"))?,
        ),
    };
    if let Some(closed) = passage_core::shutdown::current(&ctx)
        .await
        .map_err(|e| e.to_string())?
        .filter(passage_core::shutdown::is_over)
    {
        return Err(format!(
            "this instance closed: its redirects ended on {}",
            closed.redirect_until
        ));
    }
    let instance = passage_server::Instance::start_as(ctx.clone(), listener, role)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(addr = ?instance.addr, ?role, domain = %instance.context().domain(), "passage is serving");
    tokio::select! {
        () = stop_requested() => {}
        () = passage_core::shutdown::over(&ctx) => {
            tracing::info!("the instance's time of redirects is over");
        }
    }
    tracing::info!("shutting down");
    instance.stop().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM as systemd, Docker and `kill` send it: either stops the server
/// gracefully (requests and deliveries in flight finish first).
async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

async fn admin(ctx: &Context, command: Admin) -> Result<(), passage_core::CoreError> {
    match command {
        Admin::Account {
            command:
                AccountCommand::Create {
                    username,
                    email,
                    password,
                    role,
                    locked,
                },
        } => {
            let mut new = NewAccount::person(&username);
            new.email = Some(email);
            new.password = Some(password);
            new.role = Role::parse(&role)?;
            new.locked = locked;
            let actor = accounts::create(ctx, new).await?;
            say!("created {} ({})", actor.username, actor.ap_id);
        }
        Admin::Account {
            command: AccountCommand::Approve { username },
        } => {
            accounts::approve(ctx, &username).await?;
            say!("approved {username}");
        }
        Admin::Account {
            command: AccountCommand::List,
        } => {
            for actor in accounts::list_local(ctx).await? {
                say!("{}\t{}\t{}", actor.username, actor.kind, actor.ap_id);
            }
        }
        Admin::Org {
            command:
                OrgCommand::Create {
                    username,
                    name,
                    summary,
                    admin,
                },
        } => {
            let founder = match &admin {
                Some(admin) => Some(accounts::local_by_username(ctx, admin).await?),
                None => None,
            };
            let actor =
                organisations::create(ctx, &username, &name, &summary, founder.as_ref()).await?;
            say!("created organisation {} ({})", actor.username, actor.ap_id);
            if let Some(admin) = admin {
                say!("{admin} is its admin");
            }
        }
        Admin::Org {
            command: OrgCommand::Member { org, member, role },
        } => {
            let org = organisations::local(ctx, &org).await?;
            let person = accounts::local_by_username(ctx, &member).await?;
            let role = Role::parse(&role)?;
            organisations::set_member(ctx, None, &org, &person, role).await?;
            say!("{member} is now {} of {}", role.as_str(), org.username);
        }
        Admin::Domain { command } => domain_cli::domain(ctx, command).await?,
        Admin::Network { command } => network_cli::network(ctx, command).await?,
        Admin::Relay { command } => network_cli::relay(ctx, command).await?,
        Admin::Shutdown {
            successors,
            delete_others,
            redirect_days,
            yes,
        } => network_cli::shutdown(ctx, successors, delete_others, redirect_days, yes).await?,
        Admin::Held { command } => held(ctx, command).await?,
        Admin::Invite {
            command:
                InviteCommand::Create {
                    max_uses,
                    expires_in_days,
                },
        } => {
            let expires_at =
                expires_in_days.map(|d| passage_db::now() + chrono::TimeDelta::days(d));
            let made = registrations::invite(ctx, By::Operator, max_uses, expires_at).await?;
            say!("{}", made.code);
        }
        Admin::Invite {
            command: InviteCommand::List,
        } => {
            for i in registrations::invites(ctx, By::Operator).await? {
                let max = i
                    .max_uses
                    .map_or_else(|| "any".to_owned(), |m| m.to_string());
                let until = i.expires_at.map(|t| t.to_string()).unwrap_or_default();
                let state = if registrations::usable(&i) {
                    "usable"
                } else {
                    "used up or expired"
                };
                say!("{}	{}/{max} used	{until}	{state}", i.code, i.uses);
            }
        }
        Admin::Audit { limit } => {
            for e in audit::list(ctx, None, limit).await? {
                let who = e
                    .moderator_id
                    .map_or_else(|| "operator".to_owned(), |id| format!("account {id}"));
                let why = e.reason.unwrap_or_default();
                say!(
                    "{}\t{who}\t{}\t{}\t{why}\t{}",
                    e.created_at,
                    e.action,
                    e.target,
                    e.detail
                );
            }
        }
        Admin::Emoji {
            command:
                EmojiCommand::Add {
                    shortcode,
                    file,
                    category,
                },
        } => {
            let bytes = std::fs::read(&file).map_err(|e| {
                passage_core::CoreError::Invalid(format!("cannot read {}: {e}", file.display()))
            })?;
            let emoji = emojis::add_local(ctx, &shortcode, bytes, category).await?;
            say!("added :{}: ({})", emoji.shortcode, emoji.image_url);
        }
        Admin::Emoji {
            command: EmojiCommand::List,
        } => {
            for emoji in emojis::listed(ctx).await? {
                let category = emoji.category.unwrap_or_default();
                say!(":{}:\t{category}\t{}", emoji.shortcode, emoji.image_url);
            }
        }
        Admin::Post {
            username,
            text,
            visibility,
        } => {
            let author = accounts::local_by_username(ctx, &username).await?;
            let mut new = NewPost::public(&text);
            new.visibility = Visibility::parse(&visibility)?;
            new.mentions = resolve_mentions(ctx, &text).await?;
            let post = posts::create(ctx, &author, new).await?;
            say!("published {}", post.ap_id);
        }
    }
    Ok(())
}

/// `passage admin domain ...`: the operator's side of federation moderation (audited as
/// "operator").
/// `passage admin held ...`: the probation queue from the command line.
async fn held(ctx: &Context, command: HeldCommand) -> Result<(), passage_core::CoreError> {
    let by = By::Operator;
    match command {
        HeldCommand::List => {
            for h in moderation_held::list(ctx, by, 200).await? {
                let author = accounts::by_id(ctx, h.author_id).await?;
                say!(
                    "{}\t{}\t@{}@{}\t{}\t{}",
                    h.id,
                    h.received_at,
                    author.username,
                    author.domain,
                    h.reason,
                    h.ap_id
                );
            }
        }
        HeldCommand::Approve { id } => {
            let config = passage_federation::Federation::config(ctx.clone()).await?;
            let post = passage_federation::held::release(&config.to_request_data(), by, id)
                .await
                .map_err(|e| passage_core::CoreError::Invalid(e.to_string()))?;
            say!("let in: {}", post.ap_id);
        }
        HeldCommand::Reject { id } => {
            let gone = moderation_held::reject(ctx, by, id).await?;
            say!("turned down: {}", gone.ap_id);
        }
    }
    Ok(())
}

/// What applying decisions did, in one line.
fn applied(done: &apply::Applied) -> String {
    format!(
        "{} made, {} changed, {} left as they were, {} follows severed",
        done.created, done.updated, done.skipped, done.follows_severed
    )
}

/// The actors `@user` / `@user@domain` in `text` name, looked up through WebFinger when remote.
async fn resolve_mentions(
    ctx: &Context,
    text: &str,
) -> Result<Vec<passage_core::Actor>, passage_core::CoreError> {
    let handles = passage_core::content::mentions_in(text);
    if handles.is_empty() {
        return Ok(Vec::new());
    }
    let config = passage_federation::Federation::config(ctx.clone()).await?;
    let data = config.to_request_data();
    let mut actors = Vec::new();
    for handle in handles {
        let domain = handle.domain.unwrap_or_else(|| ctx.domain().to_owned());
        let full = format!("{}@{domain}", handle.username);
        let actor = passage_federation::resolve::handle(&data, &full)
            .await
            .map_err(|e| passage_core::CoreError::Invalid(format!("cannot find @{full}: {e}")))?;
        actors.push(actor);
    }
    Ok(actors)
}
