//! `GET /api/v1/resources` and `GET /api/v1/resources/{id}`.

use axum::extract::State;
use axum::{Extension, Json};
use serde::Serialize;
use utoipa::ToSchema;

use app::state::AppState;
use services::administration::resource_admin::{all_resources, find_resource};
use storage::administration::resources::ResourceRecord;

use super::auth::Caller;
use crate::api_error::{ApiError, ApiId, ErrorBody};

/// An app or group partners can be given access to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Resource {
    pub id: i64,
    /// The short name in the resource's request address (`/request/{slug}`).
    pub slug: String,
    pub name: String,
    /// `app` or `group`.
    pub kind: String,
    pub description: String,
    /// Partners may ask for it in the catalog.
    pub requestable: bool,
    pub archived: bool,
}

impl From<ResourceRecord> for Resource {
    fn from(r: ResourceRecord) -> Self {
        Self {
            requestable: r.is_requestable(),
            archived: r.archived_at.is_some(),
            id: r.id,
            slug: r.slug,
            name: r.name,
            kind: r.kind,
            description: r.description,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResourceList {
    pub items: Vec<Resource>,
}

/// Every resource, archived ones too, by name.
#[utoipa::path(get, path = "/api/v1/resources", tag = "Resources", security(("token" = ["resources:read"])),
    responses(
        (status = 200, description = "Every resource", body = ResourceList),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token lacks the scope", body = ErrorBody),
        (status = 429, description = "Too many calls", body = ErrorBody),
    ))]
pub async fn list_resources(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<ResourceList>, ApiError> {
    caller.require("resources:read")?;
    let items = all_resources(&state.store).await?;
    Ok(Json(ResourceList {
        items: items.into_iter().map(Resource::from).collect(),
    }))
}

/// One resource.
#[utoipa::path(get, path = "/api/v1/resources/{id}", tag = "Resources", security(("token" = ["resources:read"])),
    params(("id" = i64, Path, description = "The resource's id", minimum = 1)),
    responses(
        (status = 200, description = "The resource", body = Resource),
        (status = 400, description = "The id is not a positive whole number", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token lacks the scope", body = ErrorBody),
        (status = 404, description = "No such resource", body = ErrorBody),
        (status = 429, description = "Too many calls", body = ErrorBody),
    ))]
pub async fn get_resource(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiId(id): ApiId,
) -> Result<Json<Resource>, ApiError> {
    caller.require("resources:read")?;
    let resource = find_resource(&state.store, id)
        .await?
        .ok_or_else(|| ApiError::not_found("resource"))?;
    Ok(Json(resource.into()))
}
