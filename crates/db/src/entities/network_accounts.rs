use sea_orm::entity::prelude::*;

/// An organisation or city a server of the network lists in its directory.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "network_accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub domain: String,
    #[sea_orm(unique)]
    pub ap_id: String,
    pub username: String,
    pub display_name: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub url: String,
    pub avatar: Option<String>,
    pub fetched_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
