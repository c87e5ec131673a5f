//! Lead images (issue 13): an article's `image` on its page, in link
//! previews, JSON-LD and every feed format, read back with real parsers;
//! the site-wide share image as the fallback; hostile values kept as text.

use std::path::{Path, PathBuf};

use scraper::Html;

use crate::news::{meta, select};

const MEDIA: &str = "http://search.yahoo.com/mrss/";
const ATOM: &str = "http://www.w3.org/2005/Atom";

/// A site with the repository's `site.yaml` plus `config`, no articles.
fn site(config: &str) -> tempfile::TempDir {
    let dir = crate::common::site_with(&[] as &[(&str, &str)]);
    let yaml = dir.path().join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap() + config;
    std::fs::write(yaml, text).unwrap();
    dir
}

/// Imports a trafilatura JSON with these extra fields and builds the site;
/// returns the article's folder in `public/`.
fn import_and_build(root: &Path, extra: serde_json::Value) -> PathBuf {
    let mut json = serde_json::json!({
        "title": "Neue Bäume für den Stadtpark",
        "text": "Im Stadtpark werden zwanzig neue Bäume gepflanzt. Die Kosten trägt ein Verein.",
        "date": "2021-05-03",
    });
    for (k, v) in extra.as_object().unwrap() {
        json[k] = v.clone();
    }
    let input = root.join("input.json");
    std::fs::write(&input, json.to_string()).unwrap();
    crate::common::blatt(root).arg("import").arg(&input).assert().success();
    std::fs::remove_file(&input).unwrap();
    crate::common::blatt(root).args(["build", "-q"]).assert().success();
    root.join("public/2021/05/neue-baeume-fuer-den-stadtpark")
}

fn json_ld(doc: &Html) -> serde_json::Value {
    crate::news::json_ld(doc).swap_remove(0)
}

/// What each feed format of the site says of its one item's image:
/// (url, medium, type, description) of RSS's and Atom's `media:content`,
/// and JSON Feed's `image`.
struct FeedImages {
    rss: Option<(String, String, Option<String>, Option<String>)>,
    atom: Option<(String, String, Option<String>, Option<String>)>,
    json: Option<String>,
}

fn media_content(
    xml: &str,
    item: &str,
    item_ns: Option<&str>,
) -> Option<(String, String, Option<String>, Option<String>)> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let items: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == item && n.tag_name().namespace() == item_ns)
        .collect();
    assert_eq!(items.len(), 1, "{xml}");
    let media: Vec<_> = items[0]
        .children()
        .filter(|n| n.tag_name().namespace() == Some(MEDIA))
        .collect();
    let content = match media.as_slice() {
        [] => return None,
        [one] => *one,
        more => panic!("{} media elements: {xml}", more.len()),
    };
    assert_eq!(content.tag_name().name(), "content");
    let description = content
        .children()
        .find(|n| n.tag_name().namespace() == Some(MEDIA) && n.tag_name().name() == "description")
        .map(|d| {
            assert_eq!(d.attribute("type"), Some("plain"));
            d.text().unwrap_or_default().to_string()
        });
    Some((
        content.attribute("url").unwrap().to_string(),
        content.attribute("medium").unwrap().to_string(),
        content.attribute("type").map(str::to_string),
        description,
    ))
}

fn feed_images(public: &Path) -> FeedImages {
    let read = |name: &str| std::fs::read_to_string(public.join(name)).unwrap();
    let rss = read("feed.xml");
    // The rss crate reads it back as well: the namespace is declared.
    let channel = rss::Channel::read_from(rss.as_bytes()).unwrap();
    assert_eq!(channel.items().len(), 1);
    let json: serde_json::Value = serde_json::from_str(&read("feed.json")).unwrap();
    FeedImages {
        rss: media_content(&rss, "item", None),
        atom: media_content(&read("atom.xml"), "entry", Some(ATOM)),
        json: json["items"][0]["image"].as_str().map(str::to_string),
    }
}

#[test]
fn an_imported_lead_image_is_on_the_page_in_previews_json_ld_and_every_feed() {
    let dir = site("social:\n  image: static/card.png\n  logo: https://cdn.example.net/logo.png\n");
    let url = "https://cdn.example.org/park.jpg?w=1200&h=675";
    let page = import_and_build(
        dir.path(),
        serde_json::json!({"image": url, "image_alt": "Ein Park im Frühling", "image_caption": "Foto: Stadtarchiv"}),
    );
    let doc = Html::parse_document(&std::fs::read_to_string(page.join("index.html")).unwrap());

    // Above the body, described, captioned, and not lazily loaded.
    let figures = select(&doc, "article > figure");
    assert_eq!(figures.len(), 1);
    let img = select(&doc, "article > figure > .frame > img");
    assert_eq!(img.len(), 1);
    let img = img[0].value();
    assert_eq!(img.attr("src"), Some(url));
    assert_eq!(img.attr("alt"), Some("Ein Park im Frühling"));
    assert_eq!(img.attr("loading"), None);
    let caption: String = select(&doc, "article > figure > figcaption")[0].text().collect();
    assert_eq!(caption, "Foto: Stadtarchiv");
    let after_header = figures[0].prev_siblings().find_map(scraper::ElementRef::wrap).unwrap();
    assert_eq!(after_header.value().name(), "header");

    let m = meta(&doc);
    assert_eq!(m["og:image"], [url]);
    assert_eq!(m["og:image:alt"], ["Ein Park im Frühling"]);
    assert_eq!(m["twitter:card"], ["summary_large_image"]);
    // X reads og:image; `social.twitter_tags` repeats it.
    assert!(!m.contains_key("twitter:image") && !m.contains_key("twitter:image:alt"));

    let ld = json_ld(&doc);
    assert_eq!(ld["image"], serde_json::json!([url]));
    assert_eq!(
        ld["publisher"]["logo"],
        serde_json::json!({"@type": "ImageObject", "url": "https://cdn.example.net/logo.png"})
    );

    let feeds = feed_images(&dir.path().join("public"));
    let media = Some((
        url.to_string(),
        "image".to_string(),
        Some("image/jpeg".to_string()),
        Some("Ein Park im Frühling".to_string()),
    ));
    assert_eq!(feeds.rss, media);
    assert_eq!(feeds.atom, media);
    assert_eq!(feeds.json.as_deref(), Some(url));
}

#[test]
fn a_lead_image_in_the_site_is_linked_under_the_base_path_and_absolute_elsewhere() {
    let dir = crate::common::site_with(&[(
        "2022/01/a.md",
        "---\ntitle: Ein Bild aus dem Archiv\ndate: 2022-01-21\nimage: /static/bilder/lead.png\n---\n\nText.\n\n![Ein zweites Bild](https://cdn.example.org/zwei.jpg)\n",
    )]);
    let yaml = dir.path().join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap().replace(
        "base_url: \"https://example.org/\"",
        "base_url: \"https://example.org/archiv/\"",
    );
    std::fs::write(&yaml, text).unwrap();
    std::fs::create_dir_all(dir.path().join("static/bilder")).unwrap();
    std::fs::write(dir.path().join("static/bilder/lead.png"), b"not checked").unwrap();
    crate::common::blatt(dir.path())
        .args(["build", "-q"])
        .assert()
        .success();

    let public = dir.path().join("public");
    let doc = Html::parse_document(&std::fs::read_to_string(public.join("2022/01/a/index.html")).unwrap());
    let img = select(&doc, "figure.lead img");
    assert_eq!(img[0].value().attr("src"), Some("/archiv/static/bilder/lead.png"));
    // Without a description the image is marked as one screen readers skip.
    assert_eq!(img[0].value().attr("alt"), Some(""));
    assert!(select(&doc, "figcaption").is_empty());
    // An image in the body is below the fold: it loads lazily, the lead image does not.
    let body_img = select(&doc, ".content img");
    assert_eq!(body_img.len(), 1);
    assert_eq!(body_img[0].value().attr("loading"), Some("lazy"));
    assert_eq!(img[0].value().attr("loading"), None);
    let absolute = "https://example.org/archiv/static/bilder/lead.png";
    let m = meta(&doc);
    assert_eq!(m["og:image"], [absolute]);
    assert!(!m.contains_key("og:image:alt"));
    assert_eq!(json_ld(&doc)["image"][0], absolute);
    let feeds = feed_images(&public);
    let media = Some((
        absolute.to_string(),
        "image".to_string(),
        Some("image/png".to_string()),
        None,
    ));
    assert_eq!(feeds.rss, media);
    assert_eq!(feeds.atom, media);
    assert_eq!(feeds.json.as_deref(), Some(absolute));

    // The page links it, so the build's link check finds it missing.
    std::fs::remove_file(dir.path().join("static/bilder/lead.png")).unwrap();
    let out = crate::common::blatt(dir.path())
        .args(["build", "-q"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("static/bilder/lead.png"), "{stderr}");
}

#[test]
fn without_a_lead_image_the_share_image_is_the_fallback() {
    let dir = site("social:\n  image: /static/card.png\n");
    let page = import_and_build(dir.path(), serde_json::json!({}));
    let doc = Html::parse_document(&std::fs::read_to_string(page.join("index.html")).unwrap());
    assert!(select(&doc, "figure").is_empty());
    let m = meta(&doc);
    assert_eq!(m["og:image"], ["https://example.org/static/card.png"]);
    assert!(!m.contains_key("og:image:alt"));
    assert_eq!(m["twitter:card"], ["summary_large_image"]);
    assert_eq!(json_ld(&doc)["image"][0], "https://example.org/static/card.png");
    // Feeds show an item's own image only: the site's card is not the article's.
    let feeds = feed_images(&dir.path().join("public"));
    assert_eq!((feeds.rss, feeds.atom, feeds.json), (None, None, None));
    // The home page has the share image too.
    let home = Html::parse_document(&std::fs::read_to_string(dir.path().join("public/index.html")).unwrap());
    assert_eq!(meta(&home)["og:image"], ["https://example.org/static/card.png"]);
}

#[test]
fn hostile_image_values_stay_text_in_the_page_and_every_feed() {
    let dir = site("social:\n  twitter_tags: true\n");
    let url = "https://cdn.example.org/x.jpg?a='onerror='alert(1)&b=%22";
    let alt = "\"><script>alert(1)</script> & ]]>";
    let caption = "<img src=x onerror=alert(2)>";
    let page = import_and_build(
        dir.path(),
        serde_json::json!({"image": url, "image_alt": alt, "image_caption": caption}),
    );
    let raw = std::fs::read_to_string(page.join("index.html")).unwrap();
    assert!(!raw.contains("<script>alert"), "markup from the alt text");
    assert!(!raw.contains("<img src=x"), "markup from the caption");
    let doc = Html::parse_document(&raw);
    let img = select(&doc, "figure.lead img");
    assert_eq!(img.len(), 1, "one image, none from the caption");
    assert_eq!(img[0].value().attr("src"), Some(url));
    assert_eq!(img[0].value().attr("alt"), Some(alt));
    assert_eq!(img[0].value().attr("onerror"), None);
    assert_eq!(select(&doc, "figcaption")[0].text().collect::<String>(), caption);
    let m = meta(&doc);
    assert_eq!(m["og:image"], [url]);
    assert_eq!(m["og:image:alt"], [alt]);
    assert_eq!(m["twitter:image:alt"], [alt]);
    assert_eq!(json_ld(&doc)["image"][0], url);

    let feeds = feed_images(&dir.path().join("public"));
    let media = Some((
        url.to_string(),
        "image".to_string(),
        Some("image/jpeg".to_string()),
        Some(alt.to_string()),
    ));
    assert_eq!(feeds.rss, media);
    assert_eq!(feeds.atom, media);
    assert_eq!(feeds.json.as_deref(), Some(url));
}

#[test]
fn a_new_site_has_a_share_image_and_a_logo_and_uses_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    crate::common::blatt(dir.path())
        .arg("init")
        .arg(&root)
        .assert()
        .success();
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    assert!(
        yaml.contains("\n  image: static/share.png\n  logo: static/logo.svg\n"),
        "{yaml}"
    );
    let page = import_and_build(&root, serde_json::json!({}));

    let public = root.join("public");
    let png = std::fs::read(public.join("static/share.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let svg = std::fs::read_to_string(public.join("static/logo.svg")).unwrap();
    assert_eq!(
        roxmltree::Document::parse(&svg)
            .unwrap()
            .root_element()
            .tag_name()
            .name(),
        "svg"
    );

    let base = "http://127.0.0.1:1111/";
    let doc = Html::parse_document(&std::fs::read_to_string(page.join("index.html")).unwrap());
    assert_eq!(meta(&doc)["og:image"], [format!("{base}static/share.png")]);
    assert_eq!(meta(&doc)["twitter:card"], ["summary_large_image"]);
    let ld = json_ld(&doc);
    assert_eq!(ld["publisher"]["logo"]["@type"], "ImageObject");
    assert_eq!(ld["publisher"]["logo"]["url"], format!("{base}static/logo.svg"));
    assert_eq!(ld["image"][0], format!("{base}static/share.png"));
}
