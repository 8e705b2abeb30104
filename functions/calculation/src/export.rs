//! The proposed, approved or paid list for officers, as CSV (UTF-8 with BOM) or XLSX.

use crate::allocation::no_list;
use publish::{Cell, Table};
use service::auth::Role;
use service::db::Db;
use service::{ApiError, Reply};
use spin_sdk::http::Request;
use store::payments::ListKind;

/// The proposed, approved or paid list as CSV (UTF-8 with BOM) or XLSX (officers).
pub async fn export(req: Request, year: i32, file: &str) -> Result<Reply, ApiError> {
    service::auth::require(&req, Role::Officer).await?;
    let query = service::query::query(&req, &["list"])?;
    let which = query.get("list").unwrap_or("proposed");
    let db = Db::open().await?;
    let (version, _) = round::list::latest(&db, year).await?.ok_or_else(no_list)?;
    let (title, kind) = match which {
        "proposed" => ("拟补助名单", ListKind::Proposed),
        "approved" => ("审议通过名单", ListKind::Approved),
        "paid" => ("已拨付名单", ListKind::Paid),
        _ => {
            return Err(ApiError::invalid(
                "list",
                "list 须为 proposed、approved 或 paid。",
                "list must be proposed, approved or paid.",
            ));
        }
    };

    let lines = store::payments::export(db.store(), year, version, kind).await?;
    let table = Table {
        name: format!("{year}年度{title}"),
        headers: [
            "序号 No.",
            "申报编号 Application",
            "统一社会信用代码 Credit code",
            "企业名称 Enterprise",
            "质押知识产权 Pledged rights",
            "补助上限（元）Ceiling (CNY)",
            "补助金额（元）Subsidy (CNY)",
            "大写 In capitals",
            "状态 Status",
            "拨付日期 Paid on",
            "银行流水 Bank reference",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: lines
            .into_iter()
            .map(|l| {
                vec![
                    Cell::Int(i64::from(l.number)),
                    Cell::from(l.application_id.as_str()),
                    Cell::from(l.uscc.as_str()),
                    Cell::from(l.enterprise_name.as_str()),
                    Cell::from(l.rights_zh.as_str()),
                    Cell::Money(l.ceiling),
                    Cell::Money(l.granted),
                    Cell::from(publish::notice::capitals(l.granted)),
                    Cell::from(l.status.name()),
                    Cell::from(l.paid_on.map(|d| d.to_string()).unwrap_or_default()),
                    Cell::from(l.bank_reference.unwrap_or_default()),
                ]
            })
            .collect(),
    };
    let (bytes, content_type) = match file {
        "export.csv" => (publish::csv(&table), "text/csv; charset=utf-8"),
        "export.xlsx" => (
            publish::xlsx(&table),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => return Err(ApiError::not_found()),
    };
    let mut reply = service::error::bytes_reply(200, content_type, bytes.into());
    let name = format!("{year}-{which}.{}", file.trim_start_matches("export."));
    if let Ok(v) =
        spin_sdk::http::HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        reply.headers_mut().insert("content-disposition", v);
    }
    Ok(reply)
}
