use sea_orm::entity::prelude::*;

/// A relay this instance subscribes to.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "relays")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub url: String,
    pub inbox_url: String,
    pub actor_ap_id: Option<String>,
    pub style: String,
    pub state: String,
    #[sea_orm(unique)]
    pub follow_ap_id: String,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
