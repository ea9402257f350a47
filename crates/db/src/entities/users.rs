use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub actor_id: i64,
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: DateTimeWithTimeZone,
    pub default_visibility: String,
    pub default_sensitive: bool,
    pub default_language: Option<String>,
    pub approved: bool,
    pub confirmed: bool,
    pub confirmation_token: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub registration_reason: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note_source: Option<String>,
    /// Frozen by a moderator: the login works, but only to read warnings and appeal.
    pub disabled: bool,
    /// Signed up through an app (counted against the daily limit), not made by an admin.
    pub registered: bool,
    /// The invitation it signed up with.
    pub invite_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
