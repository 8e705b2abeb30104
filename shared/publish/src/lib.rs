//! What the IP office publishes, as pure functions over data: the public notice as HTML
//! pages, Atom and JSON Feed (PROC-NOTICE, PROC-OBJECT, DISCLOSE), and the officers' lists
//! as CSV and XLSX. No I/O; the time is a parameter.

pub mod escape;
pub mod feed;
pub mod html;
pub mod notice;
pub mod table;
pub mod xlsx;

pub use notice::{
    Contact, EntryStatus, EntryView, Notice, NoticeEntry, NoticeKind, NoticeUpdate, UpdateKind,
};
pub use table::{Cell, Table, csv};
pub use xlsx::xlsx;
