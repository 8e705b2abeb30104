//! Supporting documents as the review reads them: officers download what the enterprise
//! uploaded (intake stores it).

use round::case::load;
use service::auth::Role;
use service::code::Code;
use service::db::Db;
use service::{ApiError, Reply};
use spin_sdk::http::{HeaderValue, Request};

/// A document's bytes, for officers (the review reads them): as an attachment, never
/// rendered in the site's origin, not stored by caches.
pub async fn download(req: Request, id: &str, doc: &str) -> Result<Reply, ApiError> {
    service::auth::require(&req, Role::Officer).await?;
    let db = Db::open().await?;
    load(&db, id).await?;
    let (d, data) = store::documents::with_data(db.store(), id, doc)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                404,
                Code::DocumentNotFound,
                format!("申报 {id} 没有编号为 {doc} 的材料。"),
                format!("Application {id} has no document {doc}."),
            )
        })?;
    let extension = match d.content_type.as_str() {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        _ => "png",
    };
    let mut r = service::error::bytes_reply(200, &d.content_type, data.into());
    let h = r.headers_mut();
    let disposition = format!("attachment; filename=\"{}.{extension}\"", d.id);
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert("content-disposition", v);
    }
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("sandbox"),
    );
    if let Ok(v) = HeaderValue::from_str(&d.sha256) {
        h.insert("x-sha256", v);
    }
    Ok(r)
}
