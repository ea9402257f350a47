//! `passage admin domain ...`: blocks, allows, limits and shared lists of other servers.

use crate::applied;
use passage_core::{
    Context,
    moderation::{
        By,
        apply::{self, Kind, Source},
        domains, drafts, lists, policy,
    },
};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum DomainCommand {
    /// Block a domain (and its subdomains), or change its block.
    Block {
        domain: String,
        /// suspend (nothing in or out), limit (off public timelines), probation or none.
        #[arg(long, default_value = "suspend")]
        severity: String,
        #[arg(long)]
        reject_media: bool,
        #[arg(long)]
        reject_reports: bool,
        #[arg(long)]
        media_sensitive: bool,
        #[arg(long)]
        strip_avatars: bool,
        /// Why, for moderators.
        #[arg(long)]
        comment: Option<String>,
        /// Why, where blocks are shown publicly.
        #[arg(long)]
        public_comment: Option<String>,
    },
    /// Lift a domain's block.
    Unblock { domain: String },
    /// Allow a domain (allow-list mode; in open mode, an exception to blocks).
    Allow {
        domain: String,
        #[arg(long)]
        comment: Option<String>,
    },
    /// Withdraw a domain's allow.
    Disallow { domain: String },
    /// List blocks and allows.
    List,
    /// What suspending a domain would sever, without doing it.
    Preview { domain: String },
    /// Import a shared list (Mastodon CSV, plain text or JSON); bad lines are reported.
    Import {
        file: PathBuf,
        /// The list allows domains (allow-list mode) instead of blocking them.
        #[arg(long)]
        allow: bool,
        /// Keep the list as drafts to look over, then `passage admin domain accept`.
        #[arg(long)]
        draft: bool,
    },
    /// Accept every draft (from imports and subscriptions) in one step.
    Accept,
    /// Print every block as Mastodon's CSV.
    Export,
}

pub async fn domain(ctx: &Context, command: DomainCommand) -> Result<(), passage_core::CoreError> {
    use passage_core::CoreError;
    let by = By::Operator;
    let find = |domain: &str| {
        let domain = policy::normalise(domain);
        async move {
            Ok::<_, CoreError>(
                domains::blocks(ctx, by)
                    .await?
                    .into_iter()
                    .find(|b| b.domain == domain),
            )
        }
    };
    match command {
        DomainCommand::Block {
            domain,
            severity,
            reject_media,
            reject_reports,
            media_sensitive,
            strip_avatars,
            comment,
            public_comment,
        } => {
            let severity = policy::Severity::parse(&severity).ok_or_else(|| {
                CoreError::Invalid(format!(
                    "severity: {severity:?} is not suspend, limit, probation or none"
                ))
            })?;
            let input = domains::BlockInput {
                flags: policy::Flags {
                    reject_media,
                    reject_reports,
                    media_sensitive,
                    strip_avatars,
                    followers_only: false,
                },
                private_comment: comment,
                public_comment,
                ..domains::BlockInput::new(&domain, severity)
            };
            let block = match find(&domain).await? {
                Some(before) => domains::update_block(ctx, by, before.id, input).await?,
                None => domains::block(ctx, by, input).await?,
            };
            say!("{} is blocked ({})", block.domain, block.severity);
        }
        DomainCommand::Unblock { domain } => {
            let block = find(&domain)
                .await?
                .ok_or_else(|| CoreError::Invalid(format!("{domain} is not blocked")))?;
            domains::unblock(ctx, by, block.id).await?;
            say!("{} is no longer blocked", block.domain);
        }
        DomainCommand::Allow { domain, comment } => {
            let allow = domains::allow(ctx, by, &domain, comment).await?;
            say!("{} is allowed", allow.domain);
        }
        DomainCommand::Disallow { domain } => {
            let domain = policy::normalise(&domain);
            let allow = domains::allows(ctx, by)
                .await?
                .into_iter()
                .find(|a| a.domain == domain)
                .ok_or_else(|| CoreError::Invalid(format!("{domain} is not allowed")))?;
            domains::unallow(ctx, by, allow.id).await?;
            say!("{} is no longer allowed", allow.domain);
        }
        DomainCommand::List => {
            say!("mode: {:?}", ctx.config.federation.mode);
            for b in domains::blocks(ctx, by).await? {
                let expires = b.expires_at.map(|t| t.to_string()).unwrap_or_default();
                say!("block\t{}\t{}\t{expires}", b.domain, b.severity);
            }
            for a in domains::allows(ctx, by).await? {
                say!("allow\t{}", a.domain);
            }
        }
        DomainCommand::Preview { domain } => {
            let impact = domains::preview(ctx, by, &domain).await?;
            say!(
                "suspending {domain} would sever {} follows of theirs and {} of ours; \
                 {} accounts and {} posts would be hidden",
                impact.followers,
                impact.following,
                impact.accounts,
                impact.posts
            );
        }
        DomainCommand::Import { file, allow, draft } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| CoreError::Invalid(format!("cannot read {}: {e}", file.display())))?;
            let (entries, mut bad) = lists::parse(&text);
            let kind = if allow { Kind::Allow } else { Kind::Block };
            let bar = indicatif::ProgressBar::new(entries.len() as u64);
            let progress = |n: usize| bar.set_position(n as u64);
            let summary = if draft {
                let done = drafts::propose(ctx, by, kind, entries, None, progress).await?;
                bad.extend(done.bad);
                format!("{} drafts, {} excluded", done.drafted, done.excluded)
            } else {
                let source = Source {
                    subscription: None,
                    why: "import",
                };
                let done = apply::apply(ctx, by, kind, entries, source, progress).await?;
                bad.extend(done.bad.iter().cloned());
                applied(&done)
            };
            bar.finish_and_clear();
            bad.sort_by_key(|b| b.line);
            for b in &bad {
                eprintln!("line {}: {}", b.line, b.why);
            }
            say!("{summary}, {} lines refused", bad.len());
        }
        DomainCommand::Accept => {
            let done = drafts::accept_all(ctx, by, drafts::Selection::default()).await?;
            for b in &done.bad {
                eprintln!("{}", b.why);
            }
            say!("{}", applied(&done));
        }
        DomainCommand::Export => say_raw!("{}", lists::export_csv(ctx, by).await?),
    }
    Ok(())
}
