use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "custom_emojis")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shortcode: String,
    /// Empty for this instance's own emoji.
    pub domain: String,
    #[sea_orm(column_type = "Text")]
    pub image_url: String,
    pub file_name: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub ap_id: Option<String>,
    pub category: Option<String>,
    pub visible_in_picker: bool,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
