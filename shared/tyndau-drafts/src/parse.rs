//! Reading a draft act pasted as text into its provisions.
//!
//! Kazakh and Russian legal texts number their parts the same way: sections or chapters
//! ("1-бөлім", "2-тарау", "Раздел 1", "Глава II"), articles numbered through the whole act
//! ("1-бап", "Статья 1", "3-1-бап" for an inserted one), paragraphs restarting in each article
//! ("1.", "2-1."), and sub-paragraphs ("1)", or letters "а)", "ә)"). A line that starts with such
//! a number begins a provision; any other line continues the one before it (or, before the
//! first, the preamble). The paths follow the numbers (`s2`, `a7`, `a7.p2`, `a7.p2.sp1`), so the
//! Kazakh and the Russian text of one provision meet at the same path.
//!
//! Numbers must follow each other (3 after 2, or an inserted 2-1); anything else is refused
//! with the line, so the person can correct the text.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use tyndau_events::consultation::Provision;
use tyndau_events::petition::Language;
use tyndau_ids::ProvisionPath;

/// The kinds of numbered part, outermost first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Section,
    Article,
    Paragraph,
    SubParagraph,
}

/// A number as written: `3`, or `3-1` for a part inserted after 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Number {
    pub main: u16,
    pub inserted: Option<u16>,
}

impl Number {
    /// Whether `next` may follow `self` in one list: the next number, or the next insertion
    /// after it (`3` → `4` or `3-1`; `3-1` → `3-2` or `4`).
    fn may_precede(self, next: Number) -> bool {
        let following = next.main == self.main + 1 && next.inserted.is_none();
        let inserted = next.main == self.main && next.inserted == Some(self.inserted.map_or(1, |n| n + 1));
        following || inserted
    }

    fn first() -> Number {
        Number {
            main: 1,
            inserted: None,
        }
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.inserted {
            Some(inserted) => write!(f, "{}-{inserted}", self.main),
            None => write!(f, "{}", self.main),
        }
    }
}

/// One provision as read from one language's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedProvision {
    pub path: ProvisionPath,
    pub level: Level,
    pub heading: Option<String>,
    pub text: String,
    /// Where it starts, from 1.
    pub line: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedDraft {
    /// Text before the first numbered part.
    pub preamble: Option<String>,
    pub provisions: Vec<ParsedProvision>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseProblem {
    /// No line starts an article, paragraph or section.
    NoProvisions,
    /// A number that does not follow the one before it in its list.
    OutOfOrder {
        level: Level,
        found: String,
        expected: String,
    },
    /// A paragraph or sub-paragraph with nothing to belong to (after a section heading, before
    /// the article that would hold it).
    Orphan { level: Level, found: String },
    /// A number too large to be one (over 9999).
    BadNumber { found: String },
    /// More provisions than one draft may hold.
    TooManyProvisions { limit: usize },
}

/// A problem and the line (from 1) where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub problem: ParseProblem,
}

/// Most provisions one draft may hold (the command API's limit).
pub const MAX_PROVISIONS: usize = 2000;

const NUMBER: &str = r"(\d{1,5}(?:-\d{1,5})?)";

static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:(?:{NUMBER}-(?:бөлім|тарау))|(?:(?:раздел|глава|section|chapter|part)\s+(\d{{1,5}}|[ivxlc]+)))\b\.?\s*(.*)$"
    ))
    .unwrap_or_else(|e| unreachable!("a valid pattern: {e}"))
});
static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:{NUMBER}-бап|(?:статья|article)\s+{NUMBER})\b\.?\s*(.*)$"
    ))
    .unwrap_or_else(|e| unreachable!("a valid pattern: {e}"))
});
static PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^{NUMBER}\.\s+(\S.*)$")).unwrap_or_else(|e| unreachable!("a valid pattern: {e}"))
});
static SUB_PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^{NUMBER}\)\s+(\S.*)$")).unwrap_or_else(|e| unreachable!("a valid pattern: {e}"))
});
static LETTERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Cyrillic}|[a-z])\)\s+(\S.*)$").unwrap_or_else(|e| unreachable!("a valid pattern: {e}"))
});

/// The letters that number sub-paragraphs, in order. Legal texts skip the letters that cannot
/// start a word or look like others (ё, й, ъ, ы, ь in Russian).
fn letters(language: Language) -> &'static [char] {
    match language {
        Language::Kk => &[
            'а', 'ә', 'б', 'в', 'г', 'ғ', 'д', 'е', 'ж', 'з', 'и', 'к', 'қ', 'л', 'м', 'н', 'ң', 'о', 'ө',
            'п', 'р', 'с', 'т', 'у', 'ұ', 'ү', 'ф', 'х', 'һ', 'ц', 'ч', 'ш', 'щ', 'ы', 'і', 'э', 'ю', 'я',
        ],
        Language::Ru => &[
            'а', 'б', 'в', 'г', 'д', 'е', 'ж', 'з', 'и', 'к', 'л', 'м', 'н', 'о', 'п', 'р', 'с', 'т', 'у',
            'ф', 'х', 'ц', 'ч', 'ш', 'щ', 'э', 'ю', 'я',
        ],
        Language::En => &[
            'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's',
            't', 'u', 'v', 'w', 'x', 'y', 'z',
        ],
    }
}

fn roman(text: &str) -> Option<u16> {
    let value = |c: char| match c.to_ascii_lowercase() {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        _ => None,
    };
    let digits: Vec<u16> = text.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0u16;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|next| next > d) {
            total = total.checked_sub(*d)?;
        } else {
            total += d;
        }
    }
    (total > 0).then_some(total)
}

fn number(text: &str) -> Option<Number> {
    let (main, inserted) = match text.split_once('-') {
        Some((main, inserted)) => (main, Some(inserted)),
        None => (text, None),
    };
    let parse = |s: &str| s.parse::<u16>().ok().filter(|n| (1..=9999).contains(n));
    Some(Number {
        main: parse(main).or_else(|| roman(main))?,
        inserted: match inserted {
            Some(s) => Some(parse(s)?),
            None => None,
        },
    })
}

/// A line that starts a numbered part: its level, number as written and as read, and the rest.
struct Start<'a> {
    level: Level,
    written: &'a str,
    number: Option<Number>,
    rest: &'a str,
}

fn start_of(line: &str, language: Language) -> Option<Start<'_>> {
    let capture = |regex: &Regex, level: Level| {
        let caps = regex.captures(line)?;
        let mut groups = caps.iter().skip(1).flatten();
        let written = groups.next()?.as_str();
        let rest = caps.get(caps.len() - 1).map_or("", |m| m.as_str());
        Some(Start {
            level,
            written,
            number: number(written),
            rest,
        })
    };
    if let Some(start) = capture(&SECTION, Level::Section).or_else(|| capture(&ARTICLE, Level::Article)) {
        return Some(start);
    }
    if let Some(start) =
        capture(&PARAGRAPH, Level::Paragraph).or_else(|| capture(&SUB_PARAGRAPH, Level::SubParagraph))
    {
        return Some(start);
    }
    let caps = LETTERED.captures(line)?;
    let letter = caps.get(1)?.as_str();
    let position = letters(language).iter().position(|l| {
        letter
            .chars()
            .next()
            .is_some_and(|c| c.to_lowercase().eq(std::iter::once(*l)))
    })?;
    Some(Start {
        level: Level::SubParagraph,
        written: letter,
        number: u16::try_from(position + 1)
            .ok()
            .map(|main| Number { main, inserted: None }),
        rest: caps.get(2).map_or("", |m| m.as_str()),
    })
}

/// Where the parser is: the open part at each level and the last number used in each list.
#[derive(Default)]
struct Cursor {
    section: Option<Number>,
    article: Option<Number>,
    paragraph: Option<Number>,
    sub_paragraph: Option<Number>,
    /// Whether the sub-paragraphs of the current parent are lettered (then a numbered line
    /// inside one is a deeper level, kept as its text).
    lettered: Option<bool>,
    any_article: bool,
}

fn path_of(segments: &[(&str, Number)]) -> ProvisionPath {
    let text: Vec<String> = segments.iter().map(|(kind, n)| format!("{kind}{n}")).collect();
    text.join(".")
        .parse()
        .unwrap_or_else(|_| unreachable!("numbers from 1 to 9999 in increasing kinds make a valid path"))
}

fn expect_next(level: Level, last: Option<Number>, found: Number, written: &str) -> Result<(), ParseProblem> {
    let fits = match last {
        Some(last) => last.may_precede(found),
        // A list starts at 1, except articles: a draft may amend from any article on.
        None => level == Level::Article || found == Number::first(),
    };
    if fits {
        return Ok(());
    }
    let expected = last.map_or_else(|| Number::first().to_string(), |n| format!("{}", n.main + 1));
    Err(ParseProblem::OutOfOrder {
        level,
        found: written.to_owned(),
        expected,
    })
}

/// Reads one language's text of a draft.
pub fn parse(text: &str, language: Language) -> Result<ParsedDraft, ParseError> {
    let mut draft = ParsedDraft::default();
    let mut preamble: Vec<&str> = Vec::new();
    let mut cursor = Cursor::default();
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let fail = |problem| ParseError {
            line: line_no,
            problem,
        };
        let start = start_of(line, language).filter(|start| {
            // A numbered line inside a lettered sub-paragraph is a deeper level than paths hold:
            // it stays part of that sub-paragraph's text.
            !(start.level == Level::SubParagraph
                && cursor.sub_paragraph.is_some()
                && cursor.lettered == Some(true)
                && !LETTERED.is_match(line))
                && !(start.level == Level::SubParagraph
                    && cursor.sub_paragraph.is_some()
                    && cursor.lettered == Some(false)
                    && LETTERED.is_match(line))
        });
        let Some(start) = start else {
            match draft.provisions.last_mut() {
                Some(current) => {
                    if !current.text.is_empty() {
                        current.text.push('\n');
                    }
                    current.text.push_str(line);
                }
                None => preamble.push(line),
            }
            continue;
        };
        let found = start.number.ok_or_else(|| {
            fail(ParseProblem::BadNumber {
                found: start.written.to_owned(),
            })
        })?;
        let (path, heading, body) = match start.level {
            Level::Section => {
                expect_next(Level::Section, cursor.section, found, start.written).map_err(fail)?;
                cursor.section = Some(found);
                cursor.article = None;
                cursor.paragraph = None;
                cursor.sub_paragraph = None;
                cursor.lettered = None;
                (path_of(&[("s", found)]), Some(start.rest), "")
            }
            Level::Article => {
                let last = draft
                    .provisions
                    .iter()
                    .rev()
                    .find(|p| p.level == Level::Article)
                    .and_then(|p| p.path.as_str().strip_prefix('a').and_then(number));
                expect_next(Level::Article, last, found, start.written).map_err(fail)?;
                cursor.article = Some(found);
                cursor.any_article = true;
                cursor.paragraph = None;
                cursor.sub_paragraph = None;
                cursor.lettered = None;
                (path_of(&[("a", found)]), Some(start.rest), "")
            }
            Level::Paragraph => {
                let mut segments = Vec::new();
                match cursor.article {
                    Some(article) => segments.push(("a", article)),
                    None if cursor.any_article || cursor.section.is_some() => {
                        return Err(fail(ParseProblem::Orphan {
                            level: Level::Paragraph,
                            found: start.written.to_owned(),
                        }));
                    }
                    None => {}
                }
                expect_next(Level::Paragraph, cursor.paragraph, found, start.written).map_err(fail)?;
                cursor.paragraph = Some(found);
                cursor.sub_paragraph = None;
                cursor.lettered = None;
                segments.push(("p", found));
                (path_of(&segments), None, start.rest)
            }
            Level::SubParagraph => {
                let mut segments = Vec::new();
                if let Some(article) = cursor.article {
                    segments.push(("a", article));
                }
                if let Some(paragraph) = cursor.paragraph {
                    segments.push(("p", paragraph));
                }
                if segments.is_empty() {
                    return Err(fail(ParseProblem::Orphan {
                        level: Level::SubParagraph,
                        found: start.written.to_owned(),
                    }));
                }
                expect_next(Level::SubParagraph, cursor.sub_paragraph, found, start.written).map_err(fail)?;
                cursor.sub_paragraph = Some(found);
                cursor.lettered = Some(LETTERED.is_match(line));
                segments.push(("sp", found));
                (path_of(&segments), None, start.rest)
            }
        };
        if draft.provisions.len() == MAX_PROVISIONS {
            return Err(fail(ParseProblem::TooManyProvisions {
                limit: MAX_PROVISIONS,
            }));
        }
        draft.provisions.push(ParsedProvision {
            path,
            level: start.level,
            heading: heading
                .map(str::trim)
                .filter(|h| !h.is_empty())
                .map(str::to_owned),
            text: body.trim().to_owned(),
            line: line_no,
        });
    }
    if draft.provisions.is_empty() {
        return Err(ParseError {
            line: 1,
            problem: ParseProblem::NoProvisions,
        });
    }
    draft.preamble = (!preamble.is_empty()).then(|| preamble.join("\n"));
    Ok(draft)
}

/// The provisions of a draft from its texts in several languages, met by path, in the reading
/// order of the first text (a provision only in a later text follows its predecessor there).
/// Whether every provision is in every language is `missing_translations`' question.
pub fn merge(texts: &[(Language, &ParsedDraft)]) -> Vec<Provision> {
    let mut order: Vec<ProvisionPath> = Vec::new();
    let mut merged: BTreeMap<ProvisionPath, Provision> = BTreeMap::new();
    for (language, draft) in texts {
        let mut previous: Option<ProvisionPath> = None;
        for parsed in &draft.provisions {
            let entry = merged.entry(parsed.path.clone()).or_insert_with(|| {
                let at = previous
                    .as_ref()
                    .and_then(|p| order.iter().position(|o| o == p))
                    .map_or(order.len(), |i| {
                        // After the predecessor and the provisions nested in it.
                        let mut j = i + 1;
                        while order
                            .get(j)
                            .is_some_and(|o| o.as_str().starts_with(&format!("{}.", order[i].as_str())))
                        {
                            j += 1;
                        }
                        j
                    });
                order.insert(at, parsed.path.clone());
                Provision {
                    path: parsed.path.clone(),
                    heading: BTreeMap::new(),
                    text: BTreeMap::new(),
                }
            });
            if let Some(heading) = &parsed.heading {
                entry.heading.insert(*language, heading.clone());
            }
            // A heading-only provision (an article made of paragraphs) has no wording in this
            // language rather than an empty one: the command API refuses empty texts.
            if !parsed.text.trim().is_empty() {
                entry.text.insert(*language, parsed.text.clone());
            }
            previous = Some(parsed.path.clone());
        }
    }
    order
        .into_iter()
        .filter_map(|path| merged.remove(&path))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KK: &str = "\
Қазақстан Республикасының Заңы
Жергілікті мемлекеттік басқару туралы

1-тарау. ЖАЛПЫ ЕРЕЖЕЛЕР

1-бап. Осы Заңның мақсаты
Осы Заң жергілікті өзін-өзі басқарудың тәртібін айқындайды.

2-бап. Негізгі ұғымдар
1. Осы Заңда мынадай негізгі ұғымдар пайдаланылады:
1) әкімдік – атқарушы орган;
2) мәслихат – өкілді орган.
2. Өзге ұғымдар заңнамаға сәйкес қолданылады.

2-1-бап. Ашықтық
Шешімдер интернет-ресурста жарияланады.

2-тарау. ҚОРЫТЫНДЫ ЕРЕЖЕЛЕР

3-бап. Күшіне ену
1. Осы Заң ресми жарияланған күнінен бастап күшіне енеді:
а) 1-баптан басқа;
ә) 2-баптың 2-тармағынан басқа.
";

    const RU: &str = "\
Закон Республики Казахстан
О местном государственном управлении

Глава 1. ОБЩИЕ ПОЛОЖЕНИЯ

Статья 1. Цель настоящего Закона
Настоящий Закон определяет порядок местного самоуправления.

Статья 2. Основные понятия
1. В настоящем Законе используются следующие основные понятия:
1) акимат – исполнительный орган;
2) маслихат – представительный орган.
2. Иные понятия применяются в соответствии с законодательством.

Статья 2-1. Открытость
Решения публикуются на интернет-ресурсе.

Глава 2. ЗАКЛЮЧИТЕЛЬНЫЕ ПОЛОЖЕНИЯ

Статья 3. Вступление в силу
1. Настоящий Закон вводится в действие со дня официального опубликования:
а) за исключением статьи 1;
б) за исключением пункта 2 статьи 2.
";

    fn paths(draft: &ParsedDraft) -> Vec<&str> {
        draft.provisions.iter().map(|p| p.path.as_str()).collect()
    }

    const EXPECTED: &[&str] = &[
        "s1",
        "a1",
        "a2",
        "a2.p1",
        "a2.p1.sp1",
        "a2.p1.sp2",
        "a2.p2",
        "a2-1",
        "s2",
        "a3",
        "a3.p1",
        "a3.p1.sp1",
        "a3.p1.sp2",
    ];

    #[test]
    fn a_kazakh_law_is_read_into_sections_articles_paragraphs_and_sub_paragraphs() {
        let draft = parse(KK, Language::Kk).unwrap();
        assert_eq!(paths(&draft), EXPECTED);
        assert_eq!(
            draft.preamble.as_deref(),
            Some("Қазақстан Республикасының Заңы\nЖергілікті мемлекеттік басқару туралы")
        );
        let a1 = &draft.provisions[1];
        assert_eq!(a1.heading.as_deref(), Some("Осы Заңның мақсаты"));
        assert_eq!(
            a1.text,
            "Осы Заң жергілікті өзін-өзі басқарудың тәртібін айқындайды."
        );
        assert_eq!(a1.line, 6);
        assert_eq!(draft.provisions[0].heading.as_deref(), Some("ЖАЛПЫ ЕРЕЖЕЛЕР"));
        assert_eq!(draft.provisions[4].text, "әкімдік – атқарушы орган;");
        assert_eq!(
            draft.provisions[2].text, "",
            "an article of paragraphs has no wording of its own"
        );
        assert_eq!(
            draft.provisions[12].text, "2-баптың 2-тармағынан басқа.",
            "ә) is the second letter"
        );
    }

    #[test]
    fn the_russian_text_of_the_same_law_meets_it_at_every_path() {
        let draft = parse(RU, Language::Ru).unwrap();
        assert_eq!(paths(&draft), EXPECTED);
        assert_eq!(draft.provisions[9].heading.as_deref(), Some("Вступление в силу"));
        let kk = parse(KK, Language::Kk).unwrap();
        let merged = merge(&[(Language::Kk, &kk), (Language::Ru, &draft)]);
        assert_eq!(merged.len(), EXPECTED.len());
        assert!(crate::missing_translations(&merged, &[Language::Kk, Language::Ru]).is_empty());
        assert!(crate::check_tree(&merged).is_ok());
    }

    #[test]
    fn a_provision_in_one_language_only_is_merged_in_place_and_reported_missing() {
        let kk = parse(KK, Language::Kk).unwrap();
        let ru_text = RU.replace(
            "Статья 2-1. Открытость\nРешения публикуются на интернет-ресурсе.\n",
            "",
        );
        let ru = parse(&ru_text, Language::Ru).unwrap();
        let merged = merge(&[(Language::Ru, &ru), (Language::Kk, &kk)]);
        let order: Vec<&str> = merged.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(order, EXPECTED, "a2-1 goes after a2 and its paragraphs");
        assert_eq!(
            crate::missing_translations(&merged, &[Language::Kk, Language::Ru]),
            vec![("a2-1".parse().unwrap(), Language::Ru)]
        );
    }

    #[test]
    fn numbers_out_of_order_are_refused_at_their_line() {
        let skipped = RU.replace("Статья 3.", "Статья 4.");
        let error = parse(&skipped, Language::Ru).unwrap_err();
        assert_eq!(error.line, 20);
        assert_eq!(
            error.problem,
            ParseProblem::OutOfOrder {
                level: Level::Article,
                found: "4".to_owned(),
                expected: "3".to_owned()
            }
        );
        let repeated = RU.replace("2. Иные", "1. Иные");
        let error = parse(&repeated, Language::Ru).unwrap_err();
        assert_eq!(error.line, 13);
        assert!(matches!(
            error.problem,
            ParseProblem::OutOfOrder {
                level: Level::Paragraph,
                ..
            }
        ));
        let letters = RU.replace("б) за", "г) за");
        assert_eq!(parse(&letters, Language::Ru).unwrap_err().line, 23);
        let first = "Статья 1. Цель\n2. Второй пункт без первого.";
        assert_eq!(parse(first, Language::Ru).unwrap_err().line, 2);
    }

    #[test]
    fn a_paragraph_after_a_chapter_heading_but_before_its_article_is_refused() {
        let text = "Глава 1. Общие\n1. Пункт без статьи.";
        let error = parse(text, Language::Ru).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(matches!(
            error.problem,
            ParseProblem::Orphan {
                level: Level::Paragraph,
                ..
            }
        ));
        let orphan = parse("1) подпункт без пункта", Language::Ru).unwrap_err();
        assert!(matches!(
            orphan.problem,
            ParseProblem::Orphan {
                level: Level::SubParagraph,
                ..
            }
        ));
    }

    #[test]
    fn text_without_numbering_is_refused() {
        let error = parse("Просто текст\nбез нумерации.", Language::Ru).unwrap_err();
        assert_eq!(error.problem, ParseProblem::NoProvisions);
        assert_eq!(
            parse("", Language::Kk).unwrap_err().problem,
            ParseProblem::NoProvisions
        );
    }

    #[test]
    fn rules_of_one_level_need_no_articles_and_roman_chapters_are_read() {
        let rules = "Правила\n1. Первый пункт.\n2. Второй пункт:\n1) подпункт.\n3. Третий.";
        let draft = parse(rules, Language::Ru).unwrap();
        assert_eq!(paths(&draft), vec!["p1", "p2", "p2.sp1", "p3"]);
        let chapters = "Глава I. Первая\nСтатья 1. А\nТекст.\nГлава II. Вторая\nСтатья 2. Б\nТекст.";
        let draft = parse(chapters, Language::Ru).unwrap();
        assert_eq!(paths(&draft), vec!["s1", "a1", "s2", "a2"]);
    }

    #[test]
    fn a_numbered_line_inside_a_lettered_sub_paragraph_stays_its_text() {
        let text = "Статья 1. Понятия\n1. Понятия:\nа) первое:\n1) уточнение;\nб) второе.";
        let draft = parse(text, Language::Ru).unwrap();
        assert_eq!(paths(&draft), vec!["a1", "a1.p1", "a1.p1.sp1", "a1.p1.sp2"]);
        assert_eq!(draft.provisions[2].text, "первое:\n1) уточнение;");
    }

    #[test]
    fn too_many_provisions_are_refused() {
        let text: String = (1..=MAX_PROVISIONS + 1)
            .map(|n| format!("{n}. Пункт.\n"))
            .collect();
        let error = parse(&text, Language::Ru).unwrap_err();
        assert_eq!(error.line, MAX_PROVISIONS + 1);
        assert_eq!(
            error.problem,
            ParseProblem::TooManyProvisions {
                limit: MAX_PROVISIONS
            }
        );
    }
}
