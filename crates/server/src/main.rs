//! `passage`: run a Passage instance and administer it from the command line.

use clap::{Parser, Subcommand};
use passage_core::{
    Context,
    accounts::{self, NewAccount, Role},
    emojis, organisations,
    posts::{self, NewPost},
    visibility::Visibility,
};
use std::{path::PathBuf, process::ExitCode};

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
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load and check the configuration, print it, and exit.
    CheckConfig,
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
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match config.log.format {
        passage_core::config::LogFormat::Json => builder.json().try_init(),
        passage_core::config::LogFormat::Text => builder.try_init(),
    };
}

async fn run(command: Command, config: passage_core::config::Config) -> Result<(), String> {
    match command {
        Command::CheckConfig => {
            println!("{config:#?}");
            Ok(())
        }
        Command::Migrate => {
            passage_server::open_database(&config)
                .await
                .map_err(|e| e.to_string())?;
            println!("database is up to date");
            Ok(())
        }
        Command::Serve => serve(config).await,
        Command::Admin { command } => {
            let ctx = passage_server::context(config, None)
                .await
                .map_err(|e| e.to_string())?;
            admin(&ctx, command).await.map_err(|e| e.to_string())
        }
    }
}

async fn serve(config: passage_core::config::Config) -> Result<(), String> {
    let bind = config.http.bind.clone();
    let ctx = passage_server::context(config, None)
        .await
        .map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let instance = passage_server::Instance::start(ctx, listener)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(addr = %instance.addr, domain = %instance.context().domain(), "passage is serving");
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
    instance.stop().await;
    Ok(())
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
            println!("created {} ({})", actor.username, actor.ap_id);
        }
        Admin::Account {
            command: AccountCommand::Approve { username },
        } => {
            accounts::approve(ctx, &username).await?;
            println!("approved {username}");
        }
        Admin::Account {
            command: AccountCommand::List,
        } => {
            for actor in accounts::list_local(ctx).await? {
                println!("{}\t{}\t{}", actor.username, actor.kind, actor.ap_id);
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
            println!("created organisation {} ({})", actor.username, actor.ap_id);
            if let Some(admin) = admin {
                println!("{admin} is its admin");
            }
        }
        Admin::Org {
            command: OrgCommand::Member { org, member, role },
        } => {
            let org = organisations::local(ctx, &org).await?;
            let person = accounts::local_by_username(ctx, &member).await?;
            let role = Role::parse(&role)?;
            organisations::set_member(ctx, None, &org, &person, role).await?;
            println!("{member} is now {} of {}", role.as_str(), org.username);
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
            println!("added :{}: ({})", emoji.shortcode, emoji.image_url);
        }
        Admin::Emoji {
            command: EmojiCommand::List,
        } => {
            for emoji in emojis::listed(ctx).await? {
                let category = emoji.category.unwrap_or_default();
                println!(":{}:\t{category}\t{}", emoji.shortcode, emoji.image_url);
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
            println!("published {}", post.ap_id);
        }
    }
    Ok(())
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
