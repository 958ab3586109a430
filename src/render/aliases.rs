//! Redirect pages: old URLs (`aliases`) and `/page/1/` of every list.

use crate::config::Config;
use crate::html::escape_attr;

/// A page that sends browsers and crawlers to `to` (site-relative URL).
pub(super) fn redirect_page(config: &Config, to: &str) -> String {
    let absolute = escape_attr(&config.absolute(to));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirect</title>\n\
         <link rel=\"canonical\" href=\"{absolute}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={absolute}\">\n</head>\n<body>\n\
         <p><a href=\"{absolute}\">{absolute}</a></p>\n</body>\n</html>\n",
        lang = escape_attr(config.default_language()),
    )
}
