use passage_core::relationships::Relation;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Relationship {
    pub id: String,
    pub following: bool,
    pub showing_reblogs: bool,
    pub notifying: bool,
    pub languages: Option<Vec<String>>,
    pub followed_by: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
    pub requested: bool,
    pub requested_by: bool,
    pub domain_blocking: bool,
    pub endorsed: bool,
    pub note: String,
}

pub fn relationship_from(r: &Relation) -> Relationship {
    Relationship {
        id: r.target_id.to_string(),
        following: r.following,
        showing_reblogs: r.following,
        notifying: false,
        languages: None,
        followed_by: r.followed_by,
        blocking: r.standing.blocking,
        blocked_by: r.standing.blocked_by,
        muting: r.standing.muting,
        muting_notifications: r.standing.muting_notifications,
        requested: r.requested,
        requested_by: r.requested_by,
        domain_blocking: false,
        endorsed: false,
        note: String::new(),
    }
}
