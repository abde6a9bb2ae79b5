//! The tools tab: import from Tencent Cloud API responses, export links to tccli / Terraform / API JSON, the diff
//! against a baseline, the migration checklist and the "classic vs VPC" help.
//!
//! Every answer comes from the domain core, through the same calls as the `classiclink` command
//! (`tencent::import_bundle`, `export::export_links`, `diff::{diff, findings_diff, flow_diff_at}` with one
//! [`Network`] per plan, `migrate::{checklist, to_markdown}`, `compare`, `rules::rule`). The session keeps the
//! baseline, the user's choices and a cache, so that a page is computed once per plan change and only while the
//! tools tab is shown.

use super::{protocol_port, Effect, Notice, Session};
use crate::domain::check::{check, Report};
use crate::domain::compare::{self, ComparisonRow, MigrationStep, SharedResource};
use crate::domain::diff::{self, FindingsDiff, FlowChange, LinkChange, ObjectChange};
use crate::domain::export::{self, ExportFormat};
use crate::domain::finding::Finding;
use crate::domain::load::{import, LoadError, PlanError};
use crate::domain::migrate::{self, Checklist};
use crate::domain::model::Plan;
use crate::domain::reach::Answer;
use crate::domain::rules::{self, RuleInfo};
use crate::domain::{tencent, Network};
use std::cell::RefCell;
use std::rc::Rc;

/// The pages of the tools tab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ToolPage {
    /// Import from Tencent Cloud API responses.
    #[default]
    Import,
    /// Export the links to tccli / Terraform / API JSON.
    Export,
    /// What changed since the baseline.
    Diff,
    /// The migration checklist.
    Migrate,
    /// Classic network vs VPC.
    Help,
}

impl ToolPage {
    /// Every page, in tab order.
    pub const ALL: [ToolPage; 5] =
        [ToolPage::Import, ToolPage::Export, ToolPage::Diff, ToolPage::Migrate, ToolPage::Help];

    /// A stable key (`data-testid`s).
    pub fn key(&self) -> &'static str {
        match self {
            ToolPage::Import => "import",
            ToolPage::Export => "export",
            ToolPage::Diff => "diff",
            ToolPage::Migrate => "migrate",
            ToolPage::Help => "help",
        }
    }

    /// The tab's label.
    pub fn label(&self) -> &'static str {
        match self {
            ToolPage::Import => "Import from Tencent",
            ToolPage::Export => "Export links",
            ToolPage::Diff => "Diff",
            ToolPage::Migrate => "Migrate",
            ToolPage::Help => "Classic vs VPC",
        }
    }
}

/// An action of the tools tab (see [`super::Action::Tools`]).
#[derive(Clone, Debug, PartialEq)]
pub enum ToolAction {
    /// The tools tab is shown (`true`) or hidden: pages are computed only while it is shown.
    Show(bool),
    /// Shows a page (and the tab).
    Page(ToolPage),
    /// Imports a Tencent Cloud bundle (`docs/tencent-import.md`) with an optional region (blank: from the data).
    /// Undoable like an import; errors are listed with their bundle paths and leave the plan as it was.
    ImportTencent { text: String, region: String },
    /// Reports that a chosen bundle file could not be read as text (why), as a refused import.
    TencentUnreadable(String),
    /// Remembers the current plan as the baseline (the "old" plan of export and diff).
    SetBaseline,
    /// Reads plan JSON as the baseline; errors are listed with their JSON paths and keep the baseline as it was.
    BaselineJson(String),
    /// Forgets the baseline.
    ClearBaseline,
    /// Chooses the export format.
    ExportFormat(ExportFormat),
    /// Exports the changes since the baseline (`true`) or every link of the plan.
    ExportSince(bool),
    /// Exports even when the plan has error findings.
    ExportForce(bool),
    /// The protocol and port the diff asks about flows (as typed; default TCP 22).
    DiffFlows { protocol: String, port: String },
    /// Shows a rule's long explanation in the help (or none).
    HelpRule(Option<String>),
    /// Text typed (or read from a file) into one of the tools' fields, kept until the page closes.
    Draft { field: DraftField, text: String },
}

/// A field of the tools whose text is kept while the page is open ([`Drafts`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftField {
    /// The Tencent Cloud bundle pasted or read from a file.
    TencentText,
    /// The region typed for the Tencent import.
    TencentRegion,
    /// An old plan's JSON pasted as the baseline (the export's and the diff's, one field).
    Baseline,
}

/// What was typed into the tools' fields and not yet used up: kept by the session, not by the fields, which are
/// drawn anew on every page of the tab (a pasted bundle was lost on a look at another page, and a baseline pasted on
/// the export page was not on the diff page).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Drafts {
    pub tencent_text: String,
    pub tencent_region: String,
    pub baseline: String,
}

/// The plan the export and the diff compare with.
#[derive(Clone, Debug)]
struct Baseline {
    plan: Rc<Plan>,
    /// Where it came from, for people.
    label: String,
    /// Changes each time a baseline is set: the cache key.
    generation: u64,
}

/// What the tools remember (part of [`Session`]).
#[derive(Clone, Debug)]
pub struct Tools {
    shown: bool,
    page: ToolPage,
    tencent_notes: Vec<String>,
    /// Why the last Tencent import was refused (see `Session::forget_import_errors`).
    pub(super) tencent_errors: Vec<PlanError>,
    baseline: Option<Baseline>,
    baseline_errors: Vec<PlanError>,
    generations: u64,
    format: ExportFormat,
    since: bool,
    force: bool,
    protocol: String,
    port: String,
    help_rule: Option<String>,
    drafts: Drafts,
    cache: RefCell<Cache>,
}

impl Default for Tools {
    fn default() -> Tools {
        Tools {
            shown: false,
            page: ToolPage::default(),
            tencent_notes: Vec::new(),
            tencent_errors: Vec::new(),
            baseline: None,
            baseline_errors: Vec::new(),
            generations: 0,
            format: ExportFormat::Tccli,
            since: false,
            force: false,
            protocol: "TCP".into(),
            port: "22".into(),
            help_rule: None,
            drafts: Drafts::default(),
            cache: RefCell::new(Cache::default()),
        }
    }
}

/// What a diff depends on: plan revision, baseline generation, protocol and port as typed.
type DiffKey = (u64, u64, String, String);

/// Pages computed for one plan revision and baseline.
#[derive(Clone, Debug, Default)]
struct Cache {
    baseline_report: Option<(u64, Rc<Report>)>,
    diff: Option<(DiffKey, Rc<DiffView>)>,
    migrate: Option<(u64, Rc<MigrateView>)>,
}

/// The baseline, for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaselineView {
    /// Where it came from ("the plan as it was at change 3", "a pasted plan").
    pub label: String,
    /// Its plan name.
    pub name: String,
    /// How many links it has.
    pub links: usize,
}

/// The export page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportView {
    pub format: ExportFormat,
    /// Whether the export is of the changes since the baseline (only when there is one).
    pub since: bool,
    pub force: bool,
    /// The script, or `None` when refused.
    pub output: Option<String>,
    /// The error findings that refuse the export (empty when it is not refused).
    pub refused: Vec<Finding>,
    /// A file name for the download.
    pub filename: String,
    /// Whether the output holds no call (nothing linked, or no change since the baseline).
    pub empty: bool,
}

/// The diff page: the current plan against the baseline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffView {
    /// The protocol and port the flows were asked about (as typed).
    pub protocol: String,
    pub port: String,
    /// The traffic asked about, as the core names it (`TCP 22`, `ICMP`, `all traffic`).
    pub traffic: String,
    /// Plan-level settings that changed (sentences).
    pub settings: Vec<String>,
    pub objects: Vec<ObjectChange>,
    pub links: Vec<LinkChange>,
    /// Listed links never made (Tencent Cloud refuses them) that one plan lists and the other does not, with why.
    pub refused: Vec<diff::RefusedLink>,
    pub findings: FindingsDiff,
    pub gained: Vec<FlowChange>,
    pub lost: Vec<FlowChange>,
    pub pairs_checked: usize,
    /// Whether some endpoint pairs were left out (bounded by [`diff::DEFAULT_FLOW_PAIRS`]).
    pub truncated: bool,
    /// What was wrong with the protocol or port (then no flow was asked about).
    pub error: Option<String>,
    /// Nothing changed.
    pub same: bool,
}

/// The migration page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrateView {
    pub checklist: Checklist,
    /// The checklist as Markdown (what `classiclink migrate` prints): shared, not copied, by every render.
    pub markdown: Rc<str>,
}

/// A rule's long explanation in the help: its catalogue entry and the help rows that explain it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleHelp {
    /// The rule's catalogue entry (ID, name, severity, what, why, example, fix, seed, API error).
    pub info: &'static RuleInfo,
    /// The help rows that link it (feature or resource names).
    pub explained_by: Vec<&'static str>,
    /// The language the seed sentence is quoted in (`en`, `zh` or `ja`), for its `lang` attribute.
    pub seed_lang: &'static str,
    /// Which of the source documents the seed comes from, in words ([`crate::session::seed_source`]).
    pub seed_source: String,
}

/// The "classic vs VPC" help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelpView {
    pub comparison: &'static [ComparisonRow],
    pub shared: &'static [SharedResource],
    pub steps: &'static [MigrationStep],
    /// The rule being explained.
    pub rule: Option<RuleHelp>,
    /// A rule ID asked for that the catalogue does not have.
    pub unknown_rule: Option<String>,
}

/// Everything the tools tab draws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolsView {
    pub page: ToolPage,
    /// What the last Tencent import assumed or left out.
    pub tencent_notes: Vec<String>,
    /// Why the last Tencent import was refused, each with its bundle path.
    pub tencent_errors: Vec<PlanError>,
    pub baseline: Option<BaselineView>,
    /// Why the pasted baseline was refused, each with its JSON path.
    pub baseline_errors: Vec<PlanError>,
    /// The diff's protocol and port as typed.
    pub protocol: String,
    pub port: String,
    /// The page's content, computed only for the page shown (and only while the tab is shown).
    pub export: Option<ExportView>,
    pub diff: Option<Rc<DiffView>>,
    pub migrate: Option<Rc<MigrateView>>,
    pub help: Option<HelpView>,
    pub drafts: Drafts,
}

/// A Tencent Cloud bundle read as a plan, the region as typed (blank: the one the data names).
fn tencent_import(text: &str, region: &str) -> Result<tencent::ImportOutcome, LoadError> {
    tencent::import_bundle(text, Some(region.trim()).filter(|r| !r.is_empty()))
}

impl Session {
    /// Applies a tools action.
    pub(super) fn tools_update(&mut self, action: ToolAction) -> Effect {
        let t = &mut self.tools;
        match action {
            ToolAction::Show(shown) => t.shown = shown,
            ToolAction::Draft { field, text } => {
                let kept = match field {
                    DraftField::TencentText => &mut t.drafts.tencent_text,
                    DraftField::TencentRegion => &mut t.drafts.tencent_region,
                    DraftField::Baseline => &mut t.drafts.baseline,
                };
                *kept = text;
            }
            ToolAction::Page(page) => {
                t.page = page;
                t.shown = true;
            }
            ToolAction::ImportTencent { text, region } => {
                return match tencent_import(&text, &region) {
                    Ok(outcome) => {
                        self.forget_import_errors();
                        self.tools.tencent_notes = outcome.notes;
                        let p = &outcome.plan;
                        // The plan's name says it all: "Imported from Tencent Cloud (ap-guangzhou)".
                        let what = format!(
                            "{}: {}, {}, {}",
                            if p.name.is_empty() { "Imported from Tencent Cloud" } else { p.name.as_str() },
                            crate::domain::rules::count(p.classic.len(), "classic instance", "classic instances"),
                            crate::domain::rules::count(p.vpcs.len(), "VPC", "VPCs"),
                            crate::domain::rules::count(p.links.len(), "link", "links")
                        );
                        self.set_plan(outcome.plan);
                        self.drop_stale_question();
                        self.auto_collapse();
                        self.first_pages();
                        let note = Some("undo brings the previous plan back".to_string());
                        self.notice = Some(Notice { note, ..Notice::ok(what) });
                        Effect::PlanChanged
                    }
                    Err(e) => {
                        let n = e.errors.len();
                        self.tools.tencent_errors = e.errors;
                        self.tools.tencent_notes.clear();
                        self.notice = Some(Notice::error(format!(
                            "Tencent import refused: {n} error{} (the current plan is unchanged)",
                            if n == 1 { "" } else { "s" }
                        )));
                        Effect::Refused
                    }
                };
            }
            ToolAction::TencentUnreadable(why) => {
                self.tools.tencent_errors = vec![PlanError { path: ".".to_string(), message: why }];
                self.tools.tencent_notes.clear();
                self.notice = Some(Notice::error(
                    "Tencent import refused: the file could not be read as UTF-8 text (the current plan is unchanged)",
                ));
                return Effect::Refused;
            }
            ToolAction::SetBaseline => {
                let label = format!("the plan as it was at change {}", self.revision);
                let plan = self.plan.clone();
                self.set_baseline(plan, label);
                self.notice =
                    Some(Notice::ok("Baseline set: export and diff now compare the plan with it as it is now"));
            }
            ToolAction::BaselineJson(text) => match import(&text) {
                Ok(plan) => {
                    self.set_baseline(Rc::new(plan), "a pasted plan".into());
                    self.notice = Some(Notice::ok("Baseline set from the pasted plan"));
                }
                Err(e) => {
                    let n = e.errors.len();
                    self.tools.baseline_errors = e.errors;
                    self.notice = Some(Notice::error(format!(
                        "Baseline refused: {n} error{} (the baseline is unchanged)",
                        if n == 1 { "" } else { "s" }
                    )));
                    return Effect::Refused;
                }
            },
            ToolAction::ClearBaseline => {
                t.baseline = None;
                t.baseline_errors.clear();
                t.since = false;
            }
            ToolAction::ExportFormat(f) => t.format = f,
            ToolAction::ExportSince(since) => t.since = since,
            ToolAction::ExportForce(force) => t.force = force,
            ToolAction::DiffFlows { protocol, port } => {
                t.protocol = protocol;
                t.port = port;
            }
            ToolAction::HelpRule(id) => {
                t.help_rule = id;
                t.page = ToolPage::Help;
                t.shown = true;
            }
        }
        Effect::Nothing
    }

    fn set_baseline(&mut self, plan: Rc<Plan>, label: String) {
        let t = &mut self.tools;
        t.generations += 1;
        t.baseline = Some(Baseline { plan, label, generation: t.generations });
        t.baseline_errors.clear();
        t.since = true;
    }

    /// The baseline plan, if one is set.
    pub fn baseline(&self) -> Option<&Plan> {
        self.tools.baseline.as_ref().map(|b| &*b.plan)
    }

    /// The tools tab's view.
    pub(super) fn tools_view(&self) -> ToolsView {
        let t = &self.tools;
        let page = |p: ToolPage| t.shown && t.page == p;
        ToolsView {
            page: t.page,
            tencent_notes: t.tencent_notes.clone(),
            tencent_errors: t.tencent_errors.clone(),
            baseline: t.baseline.as_ref().map(|b| BaselineView {
                label: b.label.clone(),
                name: b.plan.name.clone(),
                links: b.plan.links.len(),
            }),
            baseline_errors: t.baseline_errors.clone(),
            protocol: t.protocol.clone(),
            port: t.port.clone(),
            export: page(ToolPage::Export).then(|| self.export_view()),
            diff: if page(ToolPage::Diff) { self.diff_view() } else { None },
            migrate: page(ToolPage::Migrate).then(|| self.migrate_view()),
            help: page(ToolPage::Help).then(|| help_view(t.help_rule.as_deref())),
            drafts: t.drafts.clone(),
        }
    }

    fn export_view(&self) -> ExportView {
        let t = &self.tools;
        let old = t.baseline.as_ref().filter(|_| t.since).map(|b| &*b.plan);
        let report = self.report();
        let (output, refused) = match export::export_links(old, &self.plan, t.format, &report.findings, t.force) {
            Ok(text) => (Some(text), Vec::new()),
            Err(r) => (None, r.findings),
        };
        let ext = match t.format {
            ExportFormat::Tccli => "sh",
            ExportFormat::Terraform => "tf",
            ExportFormat::Api => "json",
        };
        ExportView {
            format: t.format,
            since: old.is_some(),
            force: t.force,
            empty: export::calls(old, &self.plan).is_empty(),
            output,
            refused,
            filename: format!("classiclink-{}.{ext}", if old.is_some() { "changes" } else { "links" }),
        }
    }

    fn baseline_report(&self, b: &Baseline) -> Rc<Report> {
        let mut cache = self.tools.cache.borrow_mut();
        if let Some((g, r)) = &cache.baseline_report {
            if *g == b.generation {
                return r.clone();
            }
        }
        let r = Rc::new(check(&b.plan));
        cache.baseline_report = Some((b.generation, r.clone()));
        r
    }

    fn diff_view(&self) -> Option<Rc<DiffView>> {
        let t = &self.tools;
        let b = t.baseline.as_ref()?;
        let key = (self.revision, b.generation, t.protocol.clone(), t.port.clone());
        if let Some((k, d)) = &t.cache.borrow().diff {
            if *k == key {
                return Some(d.clone());
            }
        }
        let old_report = self.baseline_report(b);
        let d = Rc::new(compute_diff(&b.plan, &self.plan, &old_report, &self.report(), &t.protocol, &t.port));
        t.cache.borrow_mut().diff = Some((key, d.clone()));
        Some(d)
    }

    fn migrate_view(&self) -> Rc<MigrateView> {
        let mut cache = self.tools.cache.borrow_mut();
        if let Some((rev, m)) = &cache.migrate {
            if *rev == self.revision {
                return m.clone();
            }
        }
        let checklist = migrate::checklist(&self.plan);
        let markdown = migrate::to_markdown(&checklist);
        let m = Rc::new(MigrateView { checklist, markdown: markdown.into() });
        cache.migrate = Some((self.revision, m.clone()));
        m
    }
}

/// The diff of two plans, as `classiclink diff` computes it.
fn compute_diff(
    old: &Plan,
    new: &Plan,
    old_report: &Report,
    new_report: &Report,
    protocol: &str,
    port: &str,
) -> DiffView {
    let objects = diff::diff(old, new);
    let findings = diff::findings_diff(old_report, new_report);
    let asked = protocol_port(protocol, port);
    let traffic = super::traffic_label(&asked, protocol, port);
    let (flows, error) = match asked {
        Ok((proto, port)) => {
            let (net_old, net_new) = (Network::new(old), Network::new(new));
            // The expectations at their own protocol and port, the other pairs at the form's.
            let flows = diff::flow_diff_at(
                old,
                new,
                &objects,
                (proto, port),
                |p, a, b, proto, port| {
                    let net = if std::ptr::eq(p, old) { &net_old } else { &net_new };
                    net.reach(a, b, proto, port).unwrap_or_else(|e| Answer {
                        reachable: false,
                        reason: None,
                        blocked_by: None,
                        hops: Vec::new(),
                        message: e.to_string(),
                    })
                },
                diff::DEFAULT_FLOW_PAIRS,
            );
            (flows, None)
        }
        Err(e) => (diff::FlowDiff::default(), Some(e)),
    };
    let same = objects.is_empty()
        && findings.appeared.is_empty()
        && findings.disappeared.is_empty()
        && flows.gained.is_empty()
        && flows.lost.is_empty();
    DiffView {
        protocol: protocol.to_string(),
        port: port.to_string(),
        traffic,
        settings: objects.settings,
        objects: objects.objects,
        links: objects.links,
        refused: objects.refused,
        findings,
        gained: flows.gained,
        lost: flows.lost,
        pairs_checked: flows.pairs_checked,
        truncated: flows.truncated,
        error,
        same,
    }
}

/// The help tables and the explanation of `rule`.
fn help_view(rule: Option<&str>) -> HelpView {
    let found = rule.and_then(rules::rule);
    HelpView {
        comparison: &compare::COMPARISON,
        shared: &compare::SHARED_RESOURCES,
        steps: &compare::MIGRATION_STEPS,
        rule: found.map(|r| {
            let (rows, shared) = compare::explaining_rule_id(r.info.id);
            RuleHelp {
                info: &r.info,
                explained_by: rows.iter().map(|r| r.feature).chain(shared.iter().map(|s| s.resource)).collect(),
                seed_lang: crate::session::seed_lang(r.info.seed),
                seed_source: crate::session::seed_source(r.info.seed_docs),
            }
        }),
        unknown_rule: rule.filter(|_| found.is_none()).map(str::to_string),
    }
}
