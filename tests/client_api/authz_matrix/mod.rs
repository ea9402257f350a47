//! The authorisation matrix (issue 25): every route the server answers is listed in
//! [`routes`] with who may call it, and
//! - [`inventory`] fails when the source registers a route the list does not name;
//! - [`gates`] calls every listed route as every kind of caller (anonymous, a token lacking
//!   the scope, a frozen login, a member, staff) and checks the door holds;
//! - [`objects`] reads every kind of object (public, unlisted, followers-only and direct
//!   posts, a members-only resource, a private member list, a follower list) through every
//!   read path as every kind of viewer, against what Passage promises each of them.
//!
//! Each prints how many cases it ran; the README's security section quotes the totals.

mod gates;
mod inventory;
mod objects;
mod routes;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Anyone; a token, when sent, must hold this scope ("" when none is read).
    Public(&'static str),
    /// A member's token with this scope, her login not frozen.
    Member(&'static str),
    /// As [`Rule::Member`], but a frozen login may still call it (warnings, appeals).
    MemberEvenFrozen(&'static str),
    /// An admin or moderator's token with this scope.
    Staff(&'static str),
    /// An app's credentials (OAuth token endpoints).
    App,
    /// A login form of its own (the OAuth and admin login pages).
    Session,
    /// An admin page: a staff member's session cookie.
    AdminSession,
    /// ActivityPub: inboxes need a signature; documents are public or need a signed fetch.
    Signed,
    /// Anything else, with why.
    Other(&'static str),
}
