//! The whole app logic as a plain struct, with no browser crate: the UI sends every user action to
//! [`Session::update`] and draws [`Session::view`]. Every answer about networks comes from the domain core
//! (`check`, `reach`, `ops::{attach, detach, apply}`, `load::{import, validate}`); the session only keeps the plan,
//! its history and what the user is looking at.
//!
//! Being plain Rust, it is tested natively (`cargo test --lib`).

pub mod forms;
pub mod layout;
pub mod share;
pub mod tools;

use crate::domain::addr::{in_classiclink_range, Protocol};
use crate::domain::check::{check, Report};
use crate::domain::finding::Severity;
use crate::domain::index::fx_map;
use crate::domain::load::{import, PlanError};
use crate::domain::model::{Endpoint, Kind, Plan, State};
use crate::domain::net::Network;
use crate::domain::ops::{self, Event, Refusal};
use crate::domain::reach::{reach, Answer};
use crate::domain::refs::LinkFate;
use crate::domain::rules;
/// Counts in words ("1 error", "3 errors"), for the views as for the session's own messages.
pub use crate::domain::rules::count;
pub use forms::{FieldInput, Form, ObjectKind, RuleList, RuleOp, RuleRow};
pub use layout::Diagram;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
pub use share::{decode_share, encode_share, plan_from_fragment, plan_name, share_fragment};
use std::cell::OnceCell;
use std::collections::BTreeSet;
use std::rc::Rc;
pub use tools::{DraftField, Drafts, ToolAction, ToolPage, ToolsView};

/// How many plans undo remembers.
pub const HISTORY_LIMIT: usize = 100;
/// How many rows a list shows per "show more".
pub const LIST_PAGE: usize = 50;
/// How many findings, and how many expectations, the checks panel lists per "show more": a plan of 2,000 CVMs
/// whose IPs all changed has 2,095 findings, some 52,000 elements drawn at once.
pub const CHECKS_PAGE: usize = 100;
/// How many classic instances the diagram draws per "show more" before aggregating.
pub const DIAGRAM_PAGE: usize = 40;
/// How many resources per subnet the diagram draws before aggregating.
pub const DIAGRAM_RESOURCES: usize = 24;
/// A plan with more VPC resources than this opens with every VPC collapsed in the diagram.
pub const COLLAPSE_ABOVE: usize = 300;
/// The reach matrix answers at most this many rows and this many columns.
pub const MATRIX_LIMIT: usize = 40;
/// The reach form offers at most this many suggestions a field (see [`Endpoints::suggest`]).
pub const SUGGESTIONS: usize = 30;

/// Every user action.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Opens a plan (first load, autosave restore, share link): replaces the plan and forgets the history.
    Open(Plan),
    /// Opens the plan to start with once it has arrived (the first load fetches the example plan while the page is
    /// already drawn, on an empty plan): as [`Action::Open`], unless the user has started work in the meantime (changed
    /// the plan or opened a form), which then stays as it is.
    OpenStart(Plan),
    /// Imports plan JSON (undoable). Errors are listed with their JSON paths and leave the plan as it was.
    ImportJson(String),
    /// Reports that a chosen plan file could not be read as text (why): listed as an import's errors, the plan as
    /// it was.
    ImportUnreadable(String),
    /// Opens an encoded share string (see [`share::encode_share`]), undoable like an import.
    OpenShare(String),
    /// Reports that the autosaved plan could not be read (say, a newer version's plan, or storage damaged): its errors
    /// are listed as an import's would be; the plan does not change.
    AutosaveUnreadable(Vec<PlanError>),
    /// Reports that the autosave could not be written, or cannot be (local storage blocked, known on load): `reason`
    /// is the browser's (say, `QuotaExceededError`: local storage is full), `chars` the length of the plan's JSON
    /// when a write failed, `kept` the lengths of the plans kept aside in the same storage (discarding them may make
    /// room). The plan does not change; the view says it is not saved.
    AutosaveFailed {
        reason: String,
        chars: Option<usize>,
        kept: Vec<usize>,
    },
    /// Reports that the autosave was written again after failing.
    AutosaveRecovered,
    /// Reports that another tab of the planner wrote its plan, a different one, to this browser's autosave (`name` is
    /// that plan's): the browser keeps one autosave, so the last tab to save wins on reload, and this tab's plan was
    /// then in no storage but this tab. `kept` says whether the browser side kept it aside for the import panel to
    /// reopen (as a plan a share link opens over is kept), or why not: then the plan counts as not saved in this
    /// browser, as after a failed autosave (the toolbar says so and closing the page asks), until a save works.
    AutosaveElsewhere {
        name: Option<String>,
        kept: Result<(), String>,
    },
    /// Reports that this tab's autosave found the autosave holding the plan of a tab closed or in the background
    /// (`name`), and kept that plan aside before saving over it: the import panel offers to reopen it.
    AutosaveLeftKept {
        name: Option<String>,
    },
    /// Reports that a share link pasted into the address bar was not opened: the plan open could not be kept aside
    /// (`why`), and opening the link would have lost it (see `browser::on_share_link`).
    ShareLinkRefused(String),
    /// Reports that another tab discarded the copy of this tab's plan that was kept aside when another tab saved over
    /// this tab's autosave: the plan is in no storage but this tab, and counts as not saved in this browser (the
    /// toolbar says so and closing the page asks) until a save works.
    OwnKeptDiscarded,
    /// Reports that the user discarded the plan kept aside in this browser.
    KeptDiscarded,
    /// Reports that a discard was not done: another tab had changed what is kept under that row since it was listed
    /// (discarding by the row's key would have thrown away a plan the user never saw listed).
    KeptChangedElsewhere,
    /// Opens a share link's plan (already decoded) over the current plan, undoable: Undo returns to the plan it
    /// replaced (the first load opens the autosave first, so that a link does not take the user's work away).
    OpenShared(Plan),
    /// Starts an empty plan (undoable).
    NewPlan,
    /// Renames the plan.
    Rename(String),
    /// Selects an object (or nothing).
    Select(Option<String>),
    /// Highlights objects in the diagram (a finding being hovered or focused).
    Highlight(Vec<String>),
    /// Filters the link lists by private IP, ID or name.
    Search(String),
    /// Collapses or expands a VPC in the diagram.
    ToggleCollapsed(String),
    /// Draws more classic instances in the diagram.
    ShowMoreDiagram,
    /// Lists more rows in the link lists.
    ShowMoreList,
    /// Lists another page of findings in the checks panel ([`CHECKS_PAGE`]).
    ShowMoreFindings,
    /// Lists another page of expectations in the checks panel ([`CHECKS_PAGE`]).
    ShowMoreExpectations,
    /// Chooses the VPC of the bulk link panel.
    BulkVpc(String),
    /// Ticks or unticks a classic CVM in the bulk lists.
    ToggleCheck(String),
    /// Replaces the ticked set.
    SetChecks(Vec<String>),
    /// Asks whether a link would be accepted (`ops::attach` on a copy): the plan does not change.
    TryLink {
        vpc: String,
        instances: Vec<String>,
    },
    /// Links CVMs to a VPC (`AttachClassicLinkVpc`, all or nothing).
    Link {
        vpc: String,
        instances: Vec<String>,
    },
    /// Unlinks CVMs from a VPC (`DetachClassicLinkVpc`, all or nothing).
    Unlink {
        vpc: String,
        instances: Vec<String>,
    },
    /// Makes again the link an IP change invalidated (seed 001: "it must be added again"): `DetachClassicLinkVpc`
    /// then `AttachClassicLinkVpc` for the CVM and its VPC, one undo step, refused whole if either call would be.
    Relink {
        vpc: String,
        instance: String,
    },
    /// A lifecycle event on a classic CVM.
    ApplyEvent {
        instance: String,
        event: Event,
    },
    /// Changes a classic CVM's private IP (typed text).
    ChangeIp {
        instance: String,
        ip: String,
    },
    /// Asks whether `from` reaches `to` (IDs or typed IPv4 addresses; protocol and port as typed).
    Reach {
        from: String,
        to: String,
        protocol: String,
        port: String,
    },
    /// Asks a cell of the matrix: whether `from` (the cell's row) reaches `to` (its column), with the matrix's
    /// protocol and port. The answer is shown under the matrix (see [`ReachQuery::in_matrix`]).
    ReachCell {
        from: String,
        to: String,
    },
    /// Forgets the reach answer.
    ClearReach,
    /// Answers every linked CVM × every resource of `vpc`, bounded by [`MATRIX_LIMIT`]: the first page, the CVMs
    /// linked to `vpc` first.
    Matrix {
        vpc: String,
        protocol: String,
        port: String,
    },
    /// Shows another page of the matrix: rows from the `rows`th linked CVM, columns from the `columns`th resource.
    MatrixPage {
        rows: usize,
        columns: usize,
    },
    /// Forgets the matrix.
    ClearMatrix,
    /// Opens a form: a new object of `kind` (preselecting `vpc`), or the object `id`. Over a form with unsaved
    /// changes it does not open at once: the open form asks whether to discard them (see [`Action::DiscardForm`]).
    OpenForm {
        kind: ObjectKind,
        id: Option<String>,
        vpc: Option<String>,
    },
    /// Types into a form field.
    SetField {
        key: String,
        value: String,
    },
    /// Edits a form's rule list.
    RuleEdit {
        list: RuleList,
        op: RuleOp,
    },
    /// Applies the form if the candidate plan is valid.
    SubmitForm,
    /// Closes the form (Cancel, Escape). A form with unsaved changes is not closed at once: it asks whether to
    /// discard them. Asked again while it asks (Escape with the question open), it answers with the safe answer,
    /// [`Action::KeepEditing`], as Escape answers the app's other question (discarding a kept plan): only Discard
    /// drops work.
    CloseForm,
    /// Answers the form's question with Discard: drops its unsaved changes, then does what was asked (closes the
    /// form, or opens the other one).
    DiscardForm,
    /// Answers the form's question with Keep editing: the form stays, with its changes.
    KeepEditing,
    /// Deletes an object and every reference to it.
    Delete {
        id: String,
    },
    /// Deletes an expectation.
    DeleteExpectation(usize),
    Undo,
    Redo,
    /// Hides the notice.
    Dismiss,
    /// The tools tab: Tencent import, export, diff, migration checklist, help (see [`tools`]).
    Tools(ToolAction),
}

/// What an update did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Only the view changed.
    Nothing,
    /// The plan changed (autosave it).
    PlanChanged,
    /// The action was refused; the plan is unchanged and the notice says why.
    Refused,
}

/// The tone of a notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Success,
    Info,
    /// Nothing was refused, but something needs the user's attention (the plan could not be saved).
    Warning,
    Error,
}

/// A message for the user: what the last action did or why it was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub tone: Tone,
    pub text: String,
    /// The API error the real service returns, for a refusal.
    pub api_error: Option<String>,
    /// The catalogue rule behind a refusal.
    pub rule: Option<String>,
    pub objects: Vec<String>,
    /// What a done action did to the plan's other listed links ([`ops::knock_on`]), or how to go back from a plan
    /// opened over the user's (a shared plan, a new one, a Tencent import), said after `text`. It is not part of the
    /// step's name: said again by Undo or Redo, it would be false or an instruction just carried out.
    pub note: Option<String>,
    /// A try that would be accepted: the link it offers to make ([`Action::Link`] with these), from the notice
    /// itself, which stays in view (the Selection tab's Link button may be far down the page after a drop).
    pub offer: Option<LinkOffer>,
}

/// A link a notice offers to make: [`Action::Link`] with this VPC and these CVMs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkOffer {
    pub vpc: String,
    pub instances: Vec<String>,
}

impl Notice {
    fn ok(text: impl Into<String>) -> Notice {
        let text = text.into();
        Notice { tone: Tone::Success, text, api_error: None, rule: None, objects: Vec::new(), note: None, offer: None }
    }

    fn error(text: impl Into<String>) -> Notice {
        Notice { tone: Tone::Error, ..Notice::ok(text) }
    }

    fn info(text: impl Into<String>) -> Notice {
        Notice { tone: Tone::Info, ..Notice::ok(text) }
    }

    fn warning(text: impl Into<String>) -> Notice {
        Notice { tone: Tone::Warning, ..Notice::ok(text) }
    }

    fn refusal(r: &Refusal) -> Notice {
        Notice {
            tone: Tone::Error,
            text: r.message.clone(),
            api_error: Some(r.api_error.to_string()),
            rule: r.rule.map(str::to_string),
            objects: r.objects.clone(),
            ..Notice::ok("")
        }
    }

    /// A done action's notice, with what it did to the plan's other listed links (from `old` to `new`).
    fn done(text: String, old: &Plan, new: &Plan) -> Notice {
        let notes = ops::knock_on(old, new);
        Notice { note: (!notes.is_empty()).then(|| notes.join("; ")), ..Notice::ok(text) }
    }
}

/// The answer to a try-link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TryAnswer {
    pub vpc: String,
    pub instances: Vec<String>,
    /// `None`: the real service would accept it.
    pub refusal: Option<Refusal>,
}

/// A reach question and its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReachQuery {
    pub from: String,
    pub to: String,
    pub protocol: String,
    pub port: String,
    /// The traffic asked about, as the core names it (`TCP 22`, `ICMP`, `all traffic`), or the protocol and port
    /// as typed when they are not a question.
    pub traffic: String,
    /// The answer, or what was wrong with the question.
    pub outcome: Result<Answer, String>,
    /// The form field the question was wrong in (`from`, `to` or `port`), for the form to mark it.
    pub bad_field: Option<&'static str>,
    /// Asked from a cell of the matrix shown ([`Action::ReachCell`]): the answer belongs under the matrix, where the
    /// user is looking, rather than above it, where a matrix scrolled down leaves it out of view. Another matrix, or
    /// none, makes it the form's answer again.
    pub in_matrix: bool,
    /// The security group or ACL whose rule (or implicit drop / default deny) blocks the answer, for its editor.
    pub blocking: Option<BlockingFilter>,
}

/// A security group or ACL that blocks a reach answer, and the rule that does (see [`ReachQuery::blocking`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockingFilter {
    pub kind: ObjectKind,
    pub id: String,
    pub list: RuleList,
    /// The blocking rule's row; `None` for the implicit drop or default deny, after the last rule.
    pub row: Option<usize>,
}

/// One cell of the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixCell {
    pub to: String,
    pub reachable: bool,
    /// The reason code when blocked.
    pub reason: Option<String>,
    pub message: String,
}

/// One row of the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixRow {
    pub from: String,
    pub cells: Vec<MatrixCell>,
}

/// Many reach answers at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix {
    pub vpc: String,
    pub protocol: String,
    pub port: String,
    /// The traffic asked about (see [`ReachQuery::traffic`]).
    pub traffic: String,
    pub columns: Vec<String>,
    pub rows: Vec<MatrixRow>,
    /// Where the page's rows start among all of them (the CVMs linked to `vpc` first, then the others linked), and
    /// how many there are.
    pub rows_from: usize,
    pub rows_total: usize,
    /// How many rows are CVMs linked to `vpc` (they come first).
    pub rows_linked_here: usize,
    /// Where the page's columns start among the VPC's resources, and how many it has.
    pub columns_from: usize,
    pub columns_total: usize,
    /// Why there is no matrix, or what it lacks.
    pub note: Option<String>,
}

/// A step of the undo or redo history: the plan it goes to, what it does, and the object it renames.
#[derive(Clone, Debug)]
struct Step {
    plan: Rc<Plan>,
    done: String,
    /// An object's ID the step changes, as (the ID before the step, the ID after it): the reach question, the matrix
    /// and the selection follow it ([`Session::follow_rename`]).
    renamed: Option<(String, String)>,
}

/// The whole app state.
#[derive(Clone, Debug)]
pub struct Session {
    plan: Rc<Plan>,
    revision: u64,
    /// Plans to go back to, each with what was done to it (the notice of that step: "Linked ins-web04 to vpc-prod").
    undo: Vec<Step>,
    /// Plans to go forward to, each with what doing it again does.
    redo: Vec<Step>,
    /// Plans set so far: a step taken by an action shows as a change of this count.
    steps: u64,
    report: OnceCell<Rc<Report>>,
    /// The parts of the view that depend on the plan alone, computed once per revision.
    derived: OnceCell<Rc<Derived>>,
    /// The last computed [`Derived`] of an earlier revision: its long lists are reused when unchanged.
    previous: Option<Rc<Derived>>,
    selection: Option<String>,
    highlight: Vec<String>,
    notice: Option<Notice>,
    try_answer: Option<TryAnswer>,
    reach: Option<ReachQuery>,
    matrix: Option<Matrix>,
    import_errors: Vec<PlanError>,
    /// Why the last autosave failed, until one works again.
    unsaved: Option<String>,
    effects: Vec<String>,
    /// The last refused IP change: (instance, why), said at the field as well as in the notice.
    ip_error: Option<(String, String)>,
    search: String,
    collapsed: BTreeSet<String>,
    diagram_limit: usize,
    list_limit: usize,
    /// How many findings and expectations the checks panel lists (at most: fewer when the plan has fewer). Kept
    /// when the plan is edited, so that the user's place is not lost; back to the first page when another plan opens.
    findings_limit: usize,
    expectations_limit: usize,
    bulk_vpc: Option<String>,
    checked: BTreeSet<String>,
    form: Option<Form>,
    tools: tools::Tools,
    /// The open form's candidate plan, valid, as of the last keystroke: submitting it unchanged reuses it.
    form_plan: Option<FormPlan>,
    /// What the user asked of a form with unsaved changes, while the form asks whether to discard them.
    discard: Option<AfterDiscard>,
    /// How many times an object was selected, the one already selected included (see [`ViewModel::selections`]).
    selections: u64,
}

/// What Discard does once a form's unsaved changes are dropped: what the user had asked for.
#[derive(Clone, Debug, PartialEq)]
enum AfterDiscard {
    /// Cancel or Escape: close the form.
    Close,
    /// Another form was asked for: open it.
    Open { kind: ObjectKind, id: Option<String>, vpc: Option<String> },
}

/// A form's candidate plan and what it was computed from.
#[derive(Clone, Debug)]
struct FormPlan {
    revision: u64,
    form: Form,
    plan: Rc<Plan>,
}

impl Default for Session {
    fn default() -> Session {
        Session::new(Plan::default())
    }
}

impl Session {
    /// A session over a plan, with empty history.
    pub fn new(plan: Plan) -> Session {
        let mut s = Session::bare(plan);
        s.auto_collapse();
        s
    }

    /// A big plan opens with its VPCs collapsed, so that the diagram stays quick; each expands on demand.
    fn auto_collapse(&mut self) {
        let resources: usize = self.plan.vpcs.iter().map(|v| v.resources.len()).sum();
        self.collapsed = if resources > COLLAPSE_ABOVE {
            // Inserted one by one: collecting into a `BTreeSet` would compile another copy of the sort.
            let mut all = BTreeSet::new();
            all.extend(self.plan.vpcs.iter().map(|v| v.id.to_string()));
            all
        } else {
            BTreeSet::new()
        };
    }

    /// Another plan opened (an import, a shared plan): the checks panel lists the first page of its findings and
    /// expectations, the user's place in the old plan's lists meaning nothing in it.
    fn first_pages(&mut self) {
        self.findings_limit = CHECKS_PAGE;
        self.expectations_limit = CHECKS_PAGE;
    }

    fn bare(plan: Plan) -> Session {
        Session {
            plan: Rc::new(plan),
            revision: 0,
            undo: Vec::new(),
            redo: Vec::new(),
            steps: 0,
            report: OnceCell::new(),
            derived: OnceCell::new(),
            previous: None,
            selection: None,
            highlight: Vec::new(),
            notice: None,
            try_answer: None,
            reach: None,
            matrix: None,
            import_errors: Vec::new(),
            unsaved: None,
            effects: Vec::new(),
            ip_error: None,
            search: String::new(),
            collapsed: BTreeSet::new(),
            diagram_limit: DIAGRAM_PAGE,
            list_limit: LIST_PAGE,
            findings_limit: CHECKS_PAGE,
            expectations_limit: CHECKS_PAGE,
            bulk_vpc: None,
            checked: BTreeSet::new(),
            form: None,
            tools: tools::Tools::default(),
            form_plan: None,
            discard: None,
            selections: 0,
        }
    }

    /// The current plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Counts plan changes (including undo and redo): the key for autosave and memoisation.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The check of the current plan, computed once per revision.
    pub fn report(&self) -> Rc<Report> {
        self.report.get_or_init(|| Rc::new(check(&self.plan))).clone()
    }

    /// The view's plan-only parts (findings without their highlight, expectations, gauges, lists of objects).
    fn derived(&self) -> Rc<Derived> {
        self.derived.get_or_init(|| Rc::new(Derived::new(&self.plan, &self.report(), self.previous.as_deref()))).clone()
    }

    /// The plan as the JSON an export writes.
    pub fn export_json(&self) -> String {
        crate::domain::load::export(&self.plan)
    }

    /// The plan as the autosave stores it: compact JSON, the share link's text (one serializer of the plan). Local
    /// storage holds about five million characters a site; a plan of Tencent's largest size takes some 1.7 million
    /// of them compact, against 3.1 million pretty. An import reads either, so older pretty autosaves still open.
    pub fn autosave_json(&self) -> String {
        self.plan.to_json_compact()
    }

    /// A plan kept in the browser (stored compact, see [`Session::autosave_json`]) as a file to download: the pretty
    /// export, as Export writes it, when the text is a plan; else the text as it is, so that nothing is lost.
    pub fn kept_for_download(text: &str) -> String {
        crate::domain::import(text).map_or_else(|_| text.to_string(), |p| p.to_json())
    }

    /// The `plan=…` URL fragment carrying the whole plan.
    pub fn share_fragment(&self) -> String {
        share::share_fragment(&self.plan)
    }

    /// Whether undo / redo have something to do.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// See [`Session::can_undo`].
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    fn set_plan(&mut self, plan: impl Into<Rc<Plan>>) {
        self.set_plan_renaming(plan, None);
    }

    /// [`Session::set_plan`], for a step that changes an object's ID from `renamed.0` to `renamed.1`.
    fn set_plan_renaming(&mut self, plan: impl Into<Rc<Plan>>, renamed: Option<(String, String)>) {
        let old = std::mem::replace(&mut self.plan, plan.into());
        if let Some((from, to)) = &renamed {
            self.follow_rename(from, to);
        }
        // Labelled once the action that made the step has said what it did (see `update`).
        self.undo.push(Step { plan: old, done: String::new(), renamed });
        self.steps += 1;
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.changed();
    }

    /// Undo (`back`) or redo: the plan of the step taken off one history becomes the current plan, and the current
    /// plan goes on the other, with the step's name and rename (followed the other way back).
    fn travel(&mut self, back: bool) -> Effect {
        let step = if back { self.undo.pop() } else { self.redo.pop() };
        let Some(Step { plan, done, renamed }) = step else { return Effect::Nothing };
        let cur = std::mem::replace(&mut self.plan, plan);
        if let Some((from, to)) = &renamed {
            if back {
                self.follow_rename(to, from);
            } else {
                self.follow_rename(from, to);
            }
        }
        // (`changed` also ends what a what-if did: it is no longer so.)
        self.changed();
        let said = if back { "Undone" } else { "Redone" };
        self.notice = Some(Notice::info(format!("{said}: {done}")));
        let other = if back { &mut self.redo } else { &mut self.undo };
        other.push(Step { plan: cur, done, renamed });
        Effect::PlanChanged
    }

    /// A reach question, the matrix and the selection that name `from` name `to`: the step renaming it (an edit, its
    /// undo, its redo) carries them with it, as it carries the plan's own references. (After renaming ins-web01 to
    /// ins-front01 the question asked of ins-web01, which the plan no longer had, and Undo did the same the other way.)
    fn follow_rename(&mut self, from: &str, to: &str) {
        let follow = |id: &mut String| {
            if id.trim() == from {
                *id = to.to_string();
            }
        };
        if let Some(q) = self.reach.as_mut() {
            follow(&mut q.from);
            follow(&mut q.to);
        }
        if let Some(m) = self.matrix.as_mut() {
            follow(&mut m.vpc);
        }
        if let Some(s) = self.selection.as_mut() {
            follow(s);
        }
    }

    /// Forgets why the last plan import and the last Tencent import were refused, once another import, a share link
    /// or a new plan replaces the current one: their lists say "the current plan is unchanged" of a plan that is gone.
    /// (Not on opening the plan a page load starts with, which follows a share link that could not be opened.)
    fn forget_import_errors(&mut self) {
        self.import_errors.clear();
        self.tools.tencent_errors.clear();
    }

    fn changed(&mut self) {
        self.revision += 1;
        self.report = OnceCell::new();
        if let Some(d) = self.derived.take() {
            self.previous = Some(d);
        }
        self.try_answer = None;
        // A refused new IP's reason, said at its field, may not hold of the new plan (the address freed, the CVM gone).
        self.ip_error = None;
        // What an event did belongs to its step: any other change of the plan ends it (an event sets it anew after).
        self.effects.clear();
        if let Some(q) = self.reach.take() {
            // Re-ask the same question of the new plan: the answer follows the plan, where it was.
            self.reach = Some(ReachQuery { in_matrix: q.in_matrix, ..self.ask(q.from, q.to, q.protocol, q.port) });
        }
        if let Some(m) = self.matrix.take() {
            // The matrix too, at the same page (a page past the end shows the last): one edit (an unlink, an undo)
            // does not make the user ask it all again, and it never shows the old plan's answers.
            self.matrix = Some(self.matrix(m.vpc, m.protocol, m.port, m.rows_from, m.columns_from));
        }
        let plan = self.plan.clone();
        if self.selection.as_deref().is_some_and(|s| forms::kind_of(&plan, s).is_none()) {
            self.selection = None;
        }
        if !self.checked.is_empty() {
            let classic: HashSet<&str> = plan.classic.iter().map(|c| c.id.as_str()).collect();
            self.checked.retain(|id| classic.contains(id.as_str()));
        }
        self.rebase_form();
    }

    /// An open edit form follows its object when the plan changes under it (an event, a delete, an import, an
    /// undo; see [`Form::rebase`]): it starts from the object as it now is, with the user's changes on top, so that
    /// Save never writes back what the form opened with over a change made since. A form whose object is gone
    /// closes if it holds no change; with changes it stays, refusing to save (saving would bring the object back),
    /// until Discard, or until an undo brings the object back.
    fn rebase_form(&mut self) {
        let Some(f) = self.form.as_ref() else { return };
        match f.rebase(&self.plan) {
            forms::Rebased::Same => {}
            forms::Rebased::Onto(f) => self.form = Some(f),
            forms::Rebased::Gone if !f.changed() => {
                self.form = None;
                self.discard = None;
                return;
            }
            forms::Rebased::Gone => {
                if let Some(f) = self.form.as_mut() {
                    f.gone = true;
                }
            }
        }
        self.recheck_form();
    }

    /// After another plan replaced this one (an import, a shared plan): the question, re-asked of it, stays while the
    /// plan has what it names, and is dropped when it lacks an endpoint (an error nobody asked for). An edit, an
    /// undo or a what-if keeps it whatever the answer: deleting an endpoint is then said.
    fn drop_stale_question(&mut self) {
        if self.reach.as_ref().is_some_and(|q| matches!(q.bad_field, Some("from" | "to"))) {
            self.reach = None;
        }
        if self.matrix.as_ref().is_some_and(|m| self.plan.vpc(&m.vpc).is_none()) {
            self.matrix = None;
        }
    }

    /// The reach answer, if a matrix cell's, is shown as the form's from now on (see [`ReachQuery::in_matrix`]).
    fn answer_off_matrix(&mut self) {
        if let Some(q) = &mut self.reach {
            q.in_matrix = false;
        }
    }

    fn ask(&self, from: String, to: String, protocol: String, port: String) -> ReachQuery {
        let asked = protocol_port(&protocol, &port);
        let traffic = traffic_label(&asked, &protocol, &port);
        let mut bad_field = None;
        let outcome = (|| {
            if from.trim().is_empty() || to.trim().is_empty() {
                bad_field = Some(if from.trim().is_empty() { "from" } else { "to" });
                return Err("choose both endpoints (an object or an IPv4 address)".to_string());
            }
            let (proto, p) = asked.inspect_err(|_| bad_field = Some("port"))?;
            reach(&self.plan, &Endpoint::from(from.trim()), &Endpoint::from(to.trim()), proto, p).map_err(|e| {
                // The core names the endpoint it could not use: `from` or `to`.
                bad_field = ["from", "to"].into_iter().find(|f| e.path == *f);
                e.to_string()
            })
        })();
        let blocking = outcome.as_ref().ok().and_then(|a| a.blocked_by.as_ref()).and_then(|b| {
            let kind = forms::kind_of(&self.plan, &b.object)
                .filter(|k| matches!(k, ObjectKind::SecurityGroup | ObjectKind::NetworkAcl))?;
            let list = match b.direction? {
                crate::domain::reach::Direction::Ingress => RuleList::Ingress,
                crate::domain::reach::Direction::Egress => RuleList::Egress,
            };
            Some(BlockingFilter { kind, id: b.object.clone(), list, row: b.rule_index })
        });
        ReachQuery { from, to, protocol, port, traffic, outcome, bad_field, in_matrix: false, blocking }
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) -> Effect {
        let steps = self.steps;
        let effect = self.act(action);
        if self.steps != steps {
            // The step's name is what was done, without the notice's note on other listed links (see `Notice::note`).
            let done = self.notice.as_ref().map_or("the last change", |n| n.text.as_str()).to_string();
            if let Some(last) = self.undo.last_mut() {
                last.done = done;
            }
        }
        effect
    }

    fn act(&mut self, action: Action) -> Effect {
        match action {
            Action::OpenStart(_) if self.revision != 0 || self.form.is_some() => Effect::Nothing,
            // (Why a share link of the same first load could not be opened stays listed: that load falls back to
            // this plan.)
            Action::Open(plan) | Action::OpenStart(plan) => {
                self.plan = Rc::new(plan);
                self.undo.clear();
                self.redo.clear();
                self.reach = None;
                self.selection = None;
                self.form = None;
                self.discard = None;
                self.changed();
                self.auto_collapse();
                self.first_pages();
                Effect::PlanChanged
            }
            Action::ImportJson(text) => match import(&text) {
                Ok(plan) => {
                    self.forget_import_errors();
                    let name = if plan.name.is_empty() { "the plan".to_string() } else { plan.name.clone() };
                    self.set_plan(plan);
                    self.drop_stale_question();
                    self.auto_collapse();
                    self.first_pages();
                    let note = Some("undo brings the previous plan back".to_string());
                    self.notice = Some(Notice { note, ..Notice::ok(format!("Imported {name}")) });
                    Effect::PlanChanged
                }
                Err(e) => {
                    let n = e.errors.len();
                    self.import_errors = e.errors;
                    self.notice = Some(Notice::error(format!(
                        "Import refused: {} (the current plan is unchanged)",
                        rules::count(n, "error", "errors")
                    )));
                    Effect::Refused
                }
            },
            Action::ImportUnreadable(why) => {
                self.import_errors = vec![PlanError { path: ".".to_string(), message: why }];
                self.notice = Some(Notice::error(
                    "Import refused: the file could not be read as UTF-8 text (the current plan is unchanged)",
                ));
                Effect::Refused
            }
            Action::OpenShare(encoded) => match decode_share(&encoded) {
                Ok(plan) => self.update(Action::OpenShared(plan)),
                Err(e) => {
                    // The first error, and where the rest are: the link's plan may be wrong in many places.
                    let first = e.errors.first().map(|x| match x.path.as_str() {
                        "#plan" => format!(": {}", x.message),
                        _ => format!(": {x}"),
                    });
                    let n = e.errors.len();
                    let more = if n > 1 { format!("; the Import panel lists the {n} errors") } else { String::new() };
                    self.notice = Some(Notice::error(format!(
                        "The share link could not be opened{}{more} (the current plan is unchanged)",
                        first.unwrap_or_default()
                    )));
                    self.import_errors = e.errors;
                    Effect::Refused
                }
            },
            Action::AutosaveUnreadable(errors) => {
                let first = errors.first().map(|e| format!(" ({e})")).unwrap_or_default();
                self.import_errors = errors;
                // A note rather than a refusal: nothing the user did was refused.
                let text = format!(
                    "The autosaved plan could not be read{first}. This browser keeps it: Import offers to open it and \
                     lists every error"
                );
                self.notice = Some(Notice::info(text));
                Effect::Nothing
            }
            Action::AutosaveFailed { reason, chars, kept } => {
                let size = chars.map(|n| format!("; the plan is {} characters", thousands(n))).unwrap_or_default();
                let mut text = format!(
                    "This browser did not save the plan ({reason}{size}): changes made now are lost on reload or \
                     close. Export the plan to keep it"
                );
                match kept.as_slice() {
                    [] => {}
                    [one] => {
                        text += &format!(
                            ", or make room: a plan kept aside here takes {} characters (Import offers to download \
                             or discard it)",
                            thousands(*one)
                        )
                    }
                    many => {
                        text += &format!(
                            ", or make room: {} plans kept aside here take {} characters (Import offers to download \
                             or discard each)",
                            many.len(),
                            thousands(many.iter().sum())
                        )
                    }
                }
                self.unsaved = Some(reason);
                self.notice = Some(Notice::warning(text));
                Effect::Nothing
            }
            Action::AutosaveRecovered => {
                if self.unsaved.take().is_some() {
                    self.notice = Some(Notice::ok("The plan is saved in this browser again"));
                }
                Effect::Nothing
            }
            Action::AutosaveElsewhere { name, kept } => {
                let which = match name.as_deref() {
                    Some(n) if !n.is_empty() => format!("its plan \u{201c}{n}\u{201d}"),
                    _ => "its plan".to_string(),
                };
                let said = format!(
                    "Another tab of the planner saved {which} over this tab's in this browser, which keeps one \
                     autosave: a reload opens that plan."
                );
                let text = match kept {
                    Ok(()) => {
                        // The plan as it is now is stored again, whatever failed before.
                        self.unsaved = None;
                        format!(
                            "{said} This tab's plan is kept aside in this browser (Import offers to reopen it), and \
                             this tab's next change saves it over the other tab's (kept aside in turn, should that \
                             tab be closed by then)"
                        )
                    }
                    Err(why) => {
                        let text = format!(
                            "{said} This tab's plan could not be kept aside ({why}): it is lost on reload or close \
                             until this tab's next change saves it over the other tab's. Export the plan to keep it"
                        );
                        self.unsaved = Some(format!("another tab saved its plan over this one ({why})"));
                        text
                    }
                };
                self.notice = Some(Notice::warning(text));
                Effect::Nothing
            }
            Action::ShareLinkRefused(why) => {
                self.notice = Some(Notice::error(format!(
                    "The share link was not opened: the plan open here could not be kept aside ({why}), and opening \
                     the link would have lost it. Export this plan, or make room (Import lists the plans kept aside \
                     in this browser), then paste the link again"
                )));
                Effect::Nothing
            }
            Action::OwnKeptDiscarded => {
                self.unsaved = Some("another tab discarded this tab's plan kept aside".into());
                let text = "Another tab discarded the copy of this tab's plan kept aside in this browser: the plan is \
                            now only in this tab, lost on reload or close until this tab's next change saves it \
                            (over the other tab's plan, which that tab then keeps aside). Export the plan to keep it";
                self.notice = Some(Notice::warning(text));
                Effect::Nothing
            }
            Action::AutosaveLeftKept { name } => {
                let which = match name.as_deref() {
                    Some(n) if !n.is_empty() => format!("\u{201c}{n}\u{201d}, the plan"),
                    _ => "the plan".to_string(),
                };
                let text = format!(
                    "This browser's autosave held {which} of a planner tab closed or in the background: it is kept \
                     aside in this browser (Import offers to reopen it), and this tab's plan is saved in its place"
                );
                self.notice = Some(Notice::info(text));
                Effect::Nothing
            }
            Action::KeptDiscarded => {
                self.notice = Some(Notice::ok("Discarded the plan kept aside in this browser"));
                Effect::Nothing
            }
            Action::KeptChangedElsewhere => {
                self.notice = Some(Notice::error(
                    "Nothing discarded: another tab changed the plans kept aside in this browser since they were \
                     listed; the list now shows what is kept",
                ));
                Effect::Nothing
            }
            Action::OpenShared(plan) => {
                self.forget_import_errors();
                self.set_plan(plan);
                self.drop_stale_question();
                self.auto_collapse();
                self.first_pages();
                // Only a plan the user had (not the empty one a session starts with) is worth going back to.
                let had_plan = self.undo.last().is_some_and(|step| *step.plan != Plan::default());
                // How to go back is the notice's note, not the step's name: said again by Undo, it would be done.
                let note = had_plan.then(|| "undo brings back the plan you had".to_string());
                self.notice = Some(Notice { note, ..Notice::ok("Opened the shared plan") });
                Effect::PlanChanged
            }
            Action::NewPlan => {
                let empty = Plan { name: "New plan".into(), ..Plan::default() };
                if *self.plan == empty {
                    // No step that Undo would take back for nothing.
                    self.notice = Some(Notice::info("The plan is already a new, empty plan"));
                    return Effect::Nothing;
                }
                // A question was about the plan left behind: an empty plan has nothing it names.
                self.reach = None;
                self.matrix = None;
                self.forget_import_errors();
                self.first_pages();
                self.set_plan(empty);
                let note = Some("undo brings the previous plan back".to_string());
                self.notice = Some(Notice { note, ..Notice::ok("Started an empty plan") });
                Effect::PlanChanged
            }
            Action::Rename(name) => {
                // Spaces around a name are typing, not name ("  " is no name).
                let name = name.trim().to_string();
                if name == self.plan.name {
                    return Effect::Nothing;
                }
                // Said, so that Undo names this step rather than whatever the notice showed before.
                self.notice = Some(Notice::ok(if name.is_empty() {
                    "Cleared the plan's name".to_string()
                } else {
                    format!("Renamed the plan to \"{name}\"")
                }));
                let mut p = (*self.plan).clone();
                p.name = name;
                self.set_plan(p);
                Effect::PlanChanged
            }
            Action::Select(id) => {
                self.ip_error = None;
                // An event's effects are said under its CVM: selecting another object ends them.
                if id != self.selection {
                    self.effects.clear();
                }
                if id.is_some() {
                    self.selections += 1;
                }
                self.selection = id;
                self.try_answer = None;
                Effect::Nothing
            }
            Action::Highlight(ids) => {
                self.highlight = ids;
                Effect::Nothing
            }
            Action::Search(q) => {
                self.search = q;
                self.list_limit = LIST_PAGE;
                Effect::Nothing
            }
            Action::ToggleCollapsed(vpc) => {
                if !self.collapsed.remove(&vpc) {
                    self.collapsed.insert(vpc);
                }
                Effect::Nothing
            }
            Action::ShowMoreDiagram => {
                self.diagram_limit += DIAGRAM_PAGE;
                Effect::Nothing
            }
            Action::ShowMoreList => {
                self.list_limit += LIST_PAGE;
                Effect::Nothing
            }
            Action::ShowMoreFindings => {
                self.findings_limit = Page::next(self.findings_limit, self.derived().findings.len());
                Effect::Nothing
            }
            Action::ShowMoreExpectations => {
                self.expectations_limit = Page::next(self.expectations_limit, self.derived().expectations.len());
                Effect::Nothing
            }
            Action::BulkVpc(vpc) => {
                self.bulk_vpc = Some(vpc);
                self.checked.clear();
                self.list_limit = LIST_PAGE;
                Effect::Nothing
            }
            Action::ToggleCheck(id) => {
                if !self.checked.remove(&id) {
                    self.checked.insert(id);
                }
                Effect::Nothing
            }
            Action::SetChecks(ids) => {
                self.checked.clear();
                self.checked.extend(ids);
                Effect::Nothing
            }
            Action::TryLink { vpc, instances } => {
                let refusal = ops::attach(&self.plan, &vpc, &instances).err();
                // Said in the notice too, which stays in view (a CVM dropped on a VPC far down the page is tried
                // there), and which no longer tells of an earlier action.
                self.notice = Some(match &refusal {
                    None => Notice {
                        // Not naming a button: a try from the Selection tab is made by "Link", a bulk try by "Link
                        // selected (N)".
                        text: format!(
                            "AttachClassicLinkVpc would link {} to {vpc} (a try: nothing is linked yet)",
                            list(&instances)
                        ),
                        offer: Some(LinkOffer { vpc: vpc.clone(), instances: instances.clone() }),
                        ..Notice::info("")
                    },
                    Some(r) => Notice {
                        text: format!("Linking {} to {vpc} would be refused: {}", list(&instances), r.message),
                        ..Notice::refusal(r)
                    },
                });
                self.try_answer = Some(TryAnswer { vpc, instances, refusal });
                Effect::Nothing
            }
            Action::Link { vpc, instances } => match ops::attach(&self.plan, &vpc, &instances) {
                Ok(plan) => {
                    let notice = Notice::done(format!("Linked {} to {vpc}", list(&instances)), &self.plan, &plan);
                    self.set_plan(plan);
                    // The CVMs acted on are done; other ticks stay for the next action.
                    instances.iter().for_each(|i| {
                        self.checked.remove(i);
                    });
                    self.notice = Some(notice);
                    Effect::PlanChanged
                }
                Err(r) => {
                    self.notice = Some(Notice::refusal(&r));
                    self.try_answer = Some(TryAnswer { vpc, instances, refusal: Some(r) });
                    Effect::Refused
                }
            },
            Action::Unlink { vpc, instances } => match ops::detach(&self.plan, &vpc, &instances) {
                Ok(plan) => {
                    let notice = Notice::done(format!("Unlinked {} from {vpc}", list(&instances)), &self.plan, &plan);
                    self.set_plan(plan);
                    instances.iter().for_each(|i| {
                        self.checked.remove(i);
                    });
                    self.notice = Some(notice);
                    Effect::PlanChanged
                }
                Err(r) => {
                    self.notice = Some(Notice::refusal(&r));
                    Effect::Refused
                }
            },
            Action::Relink { vpc, instance } => match ops::relink(&self.plan, &vpc, &instance) {
                Ok(plan) => {
                    let ip = plan.classic_instance(&instance).map(|c| c.ip.to_string()).unwrap_or_default();
                    let text = format!("Relinked {instance} to {vpc} for its IP {ip} (detached, then attached again)");
                    let notice = Notice::done(text, &self.plan, &plan);
                    self.set_plan(plan);
                    self.notice = Some(notice);
                    Effect::PlanChanged
                }
                Err(r) => {
                    self.notice = Some(Notice::refusal(&r));
                    Effect::Refused
                }
            },
            Action::ApplyEvent { instance, event } => self.apply_event(&instance, event),
            Action::ChangeIp { instance, ip } => {
                let effect = match crate::domain::addr::parse_ipv4(ip.trim()) {
                    Ok(ip) => self.apply_event(&instance, Event::ChangeIp(ip)),
                    Err(why) => {
                        self.notice = Some(Notice::error(why));
                        Effect::Refused
                    }
                };
                // Said at the field too (the notice may be far from it).
                self.ip_error = (effect == Effect::Refused)
                    .then(|| self.notice.as_ref().map(|n| (instance.clone(), n.text.clone())))
                    .flatten();
                effect
            }
            Action::Reach { from, to, protocol, port } => {
                self.reach = Some(self.ask(from, to, protocol, port));
                Effect::Nothing
            }
            Action::ReachCell { from, to } => {
                // With no matrix (a stale click), there is no cell and no traffic to ask with.
                let Some(m) = &self.matrix else { return Effect::Nothing };
                let (protocol, port) = (m.protocol.clone(), m.port.clone());
                self.reach = Some(ReachQuery { in_matrix: true, ..self.ask(from, to, protocol, port) });
                Effect::Nothing
            }
            Action::ClearReach => {
                self.reach = None;
                Effect::Nothing
            }
            Action::Matrix { vpc, protocol, port } => {
                // Another matrix is another question: a cell's answer is no longer one of its cells'.
                self.answer_off_matrix();
                self.matrix = Some(self.matrix(vpc, protocol, port, 0, 0));
                Effect::Nothing
            }
            Action::MatrixPage { rows, columns } => {
                if let Some(m) = self.matrix.take() {
                    self.matrix = Some(self.matrix(m.vpc, m.protocol, m.port, rows, columns));
                }
                Effect::Nothing
            }
            Action::ClearMatrix => {
                self.answer_off_matrix();
                self.matrix = None;
                Effect::Nothing
            }
            Action::OpenForm { kind, id, vpc } => match self.form.as_ref().filter(|f| f.changed()) {
                // The object's form is the one open: it stays, with its changes.
                Some(f) if id.is_some() && f.kind == kind && f.original == id => {
                    self.discard = None;
                    Effect::Nothing
                }
                Some(_) => {
                    self.discard = Some(AfterDiscard::Open { kind, id, vpc });
                    Effect::Nothing
                }
                None => self.open_form(kind, id, vpc),
            },
            Action::SetField { key, value } => {
                // Typing on is keeping on: the question, if asked, is answered.
                self.discard = None;
                if let Some(f) = self.form.as_mut() {
                    f.touched = true;
                    if let Some(k) = f.kind.fields().iter().map(|x| x.key).find(|k| *k == key) {
                        if !f.edited.contains(&k) {
                            f.edited.push(k);
                        }
                    }
                    f.set(&key, value);
                    self.recheck_form();
                }
                Effect::Nothing
            }
            Action::RuleEdit { list, op } => {
                self.discard = None;
                if let Some(f) = self.form.as_mut() {
                    f.touched = true;
                    f.rule_op(list, op);
                    self.recheck_form();
                }
                Effect::Nothing
            }
            Action::SubmitForm => {
                // Saving answers the question, if asked: nothing is discarded.
                self.discard = None;
                // The candidate of the last keystroke, if the form and the plan are still what it was made from.
                let (revision, form) = (self.revision, self.form.as_ref());
                let cached = self.form_plan.take().filter(|c| c.revision == revision && Some(&c.form) == form);
                let Some(f) = self.form.as_mut() else { return Effect::Nothing };
                let candidate = match cached {
                    Some(c) => Ok(c.plan),
                    None => f.apply(&self.plan).map(Rc::new),
                };
                match candidate {
                    Ok(plan) => {
                        let id = f.get("id").trim().to_string();
                        let kind = f.kind.noun();
                        // (An expectation has no ID: its form names it by its index.)
                        let name = |old: &str| format!("{kind} {}", if id.is_empty() { old } else { &id });
                        // A form saved as it opened is no step: Undo would take back nothing.
                        let unchanged = *plan == *self.plan;
                        let what = match f.original.as_deref() {
                            Some(old) if unchanged => format!("Nothing to save: {} is as it was", name(old)),
                            Some(old) if !id.is_empty() && old != id => {
                                format!("Renamed {kind} {old} to {id}, and every reference to it")
                            }
                            Some(old) => format!("Saved {}", name(old)),
                            None => format!("Added {kind} {id}").trim_end().to_string(),
                        };
                        let renamed =
                            f.original.clone().filter(|old| !id.is_empty() && *old != id).map(|old| (old, id.clone()));
                        self.form = None;
                        let effect = if unchanged {
                            self.notice = Some(Notice::info(what));
                            Effect::Nothing
                        } else {
                            self.set_plan_renaming(plan, renamed);
                            self.notice = Some(Notice::ok(what.trim_end().to_string()));
                            Effect::PlanChanged
                        };
                        if forms::kind_of(&self.plan, &id).is_some() {
                            self.selection = Some(id);
                        }
                        effect
                    }
                    Err(errors) => {
                        f.errors = errors;
                        f.touched = true;
                        f.submitted = true;
                        self.notice = Some(Notice::error("Not applied: fix the errors listed in the form"));
                        Effect::Refused
                    }
                }
            }
            Action::CloseForm => {
                if self.discard.is_some() {
                    self.discard = None;
                    Effect::Nothing
                } else if self.form.as_ref().is_some_and(Form::changed) {
                    self.discard = Some(AfterDiscard::Close);
                    Effect::Nothing
                } else {
                    self.discard_form()
                }
            }
            Action::DiscardForm => self.discard_form(),
            Action::KeepEditing => {
                self.discard = None;
                Effect::Nothing
            }
            Action::Delete { id } => match forms::delete_object(&self.plan, &id) {
                Ok(plan) => {
                    let (gone, widened) = deleted_with(&self.plan, &plan, &id);
                    let notice = Notice::done(format!("Deleted {id}{gone}"), &self.plan, &plan);
                    self.set_plan(plan);
                    // A warning when instances or subnets lose a filter: with none, they are unfiltered by it.
                    self.notice = Some(if widened { Notice { tone: Tone::Warning, ..notice } } else { notice });
                    Effect::PlanChanged
                }
                Err(errors) => {
                    let text = errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ");
                    self.notice = Some(Notice::error(format!("{id} was not deleted: {text}")));
                    Effect::Refused
                }
            },
            Action::DeleteExpectation(i) => match forms::delete_expectation(&self.plan, i) {
                Ok(plan) => {
                    self.set_plan(plan);
                    self.notice = Some(Notice::ok(format!("Deleted expectation {i}")));
                    Effect::PlanChanged
                }
                Err(errors) => {
                    let text = errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ");
                    self.notice = Some(Notice::error(format!("Expectation {i} was not deleted: {text}")));
                    Effect::Refused
                }
            },
            Action::Undo => self.travel(true),
            Action::Redo => self.travel(false),
            Action::Dismiss => {
                self.notice = None;
                self.import_errors.clear();
                self.effects.clear();
                Effect::Nothing
            }
            Action::Tools(a) => self.tools_update(a),
        }
    }

    /// Opens the form of `kind`: a new object (preselecting `vpc`) or the object `id`, in place of any form open.
    fn open_form(&mut self, kind: ObjectKind, id: Option<String>, vpc: Option<String>) -> Effect {
        let form = match id {
            Some(id) => Form::edit(kind, &self.plan, &id),
            None => Some(Form::new(kind, &self.plan, vpc.as_deref())),
        };
        match form {
            Some(f) => {
                self.form = Some(f);
                self.discard = None;
                self.recheck_form();
                Effect::Nothing
            }
            None => {
                self.notice = Some(Notice::error("That object is not in the plan"));
                Effect::Refused
            }
        }
    }

    /// Drops the open form, with any unsaved changes (said in the notice: nothing can bring them back), then does
    /// what the user asked while the form asked whether to discard them.
    fn discard_form(&mut self) -> Effect {
        let Some(f) = self.form.take() else { return Effect::Nothing };
        self.form_plan = None;
        if f.changed() {
            let what = match &f.original {
                Some(id) => format!("to {} {id}", f.kind.noun()),
                None => format!("in the new {} form", f.kind.noun()),
            };
            self.notice = Some(Notice::info(format!("Discarded the unsaved changes {what}")));
        }
        match self.discard.take() {
            Some(AfterDiscard::Open { kind, id, vpc }) => self.open_form(kind, id, vpc),
            _ => Effect::Nothing,
        }
    }

    /// The open form's question while it asks whether to discard its unsaved changes: what Discard then does.
    fn discard_ask(&self) -> Option<DiscardAsk> {
        let then = match self.discard.as_ref()? {
            AfterDiscard::Close => "closes the form".to_string(),
            AfterDiscard::Open { kind, id: Some(id), .. } => format!("opens {} {id}", kind.noun()),
            AfterDiscard::Open { kind, id: None, .. } => format!("opens a form for a new {}", kind.noun()),
        };
        Some(DiscardAsk {
            question: "Discard unsaved changes?",
            detail: format!("The changes in this form are not saved. Discard drops them and {then}; Keep editing goes back to them."),
        })
    }

    /// Re-checks the open form against the plan (its errors), keeping the candidate plan for a submit.
    fn recheck_form(&mut self) {
        self.form_plan = None;
        let Some(f) = self.form.as_mut() else { return };
        match f.apply(&self.plan) {
            Ok(plan) => {
                f.errors = Vec::new();
                self.form_plan = Some(FormPlan { revision: self.revision, form: f.clone(), plan: Rc::new(plan) });
            }
            Err(errors) => f.errors = errors,
        }
    }

    fn apply_event(&mut self, instance: &str, event: Event) -> Effect {
        match ops::apply(&self.plan, instance, event) {
            // An event that leaves the plan as it is (starting a running CVM, switching its OS) says what it does to
            // the link but adds no step to undo.
            Ok(outcome) if outcome.plan == *self.plan => {
                let text = format!("{} on {instance}: the plan is unchanged", event_label(&event));
                // What it means for the link all the same (a cold migration does not unlink).
                let note = outcome.effects.first().cloned();
                self.notice = Some(Notice { note, ..Notice::info(text) });
                self.effects = outcome.effects;
                Effect::Nothing
            }
            Ok(outcome) => {
                // The error findings counted by rule: one pass over the findings (a plan may have thousands).
                let errors = |s: &Session| -> Vec<(&'static str, usize)> {
                    let mut by_rule: Vec<(&'static str, usize)> = Vec::new();
                    for f in s.report().findings.iter().filter(|f| f.severity == Severity::Error) {
                        match by_rule.iter_mut().find(|(r, _)| *r == f.rule) {
                            Some((_, n)) => *n += 1,
                            None => by_rule.push((f.rule, 1)),
                        }
                    }
                    by_rule
                };
                let before = errors(self);
                self.set_plan(outcome.plan);
                // What it did to the CVM's link (the effects' first sentence) is said in the notice, which is in
                // view, and an event that adds errors says so, with their rules, as a warning: a green "Done" over a
                // link just broken read as if nothing had gone wrong (the effects were listed further down the page).
                let after = errors(self);
                let total = |v: &[(&str, usize)]| v.iter().map(|(_, n)| n).sum::<usize>();
                let had = |rule: &str| before.iter().find(|(r, _)| *r == rule).map_or(0, |&(_, n)| n);
                let more = total(&after).saturating_sub(total(&before));
                let mut rules: Vec<&str> = after.iter().filter(|&&(r, n)| n > had(r)).map(|&(r, _)| r).collect();
                crate::domain::sort::sort(&mut rules);
                let added = (more > 0).then(|| {
                    format!(
                        "the checks have {} ({})",
                        rules::count(more, "more error", "more errors"),
                        rules.join(", ")
                    )
                });
                let note = match (outcome.effects.first().cloned(), added) {
                    (Some(link), Some(added)) => Some(format!("{link}; {added}")),
                    (link, added) => link.or(added),
                };
                let tone = if more > 0 { Tone::Warning } else { Tone::Success };
                let text = format!("{} on {instance}", event_label(&event));
                self.notice = Some(Notice { tone, note, ..Notice::ok(text) });
                self.effects = outcome.effects;
                Effect::PlanChanged
            }
            Err(r) => {
                self.notice = Some(Notice::refusal(&r));
                self.effects.clear();
                Effect::Refused
            }
        }
    }

    /// A page of the matrix: [`MATRIX_LIMIT`] rows from `rows_from`, as many columns from `columns_from`.
    fn matrix(&self, vpc: String, protocol: String, port: String, rows_from: usize, columns_from: usize) -> Matrix {
        let asked = protocol_port(&protocol, &port);
        let traffic = traffic_label(&asked, &protocol, &port);
        let mut m = Matrix {
            vpc,
            protocol,
            port,
            traffic,
            columns: Vec::new(),
            rows: Vec::new(),
            rows_from: 0,
            rows_total: 0,
            rows_linked_here: 0,
            columns_from: 0,
            columns_total: 0,
            note: None,
        };
        let Some(v) = self.plan.vpc(&m.vpc) else {
            m.note = Some(match self.matrix_off() {
                Some(off) => off.to_string(),
                None if m.vpc.trim().is_empty() => "choose a VPC to answer its resources".to_string(),
                None => format!("{} is not a VPC of this plan", m.vpc),
            });
            return m;
        };
        // Each CVM listing a link once (a CVM listed with two links is one row; a linked MySQL is no CVM): those
        // linked to this VPC first (a link Tencent Cloud made), then the others, each in plan order.
        let derived = self.derived();
        let cvms: HashSet<&str> = self.plan.classic.iter().filter(|c| c.kind.is_cvm()).map(|c| c.id.as_str()).collect();
        let mut seen: HashSet<&str> = HashSet::default();
        let mut froms: Vec<&str> = Vec::new();
        for here in [true, false] {
            let links = self.plan.links.iter().zip(&derived.fates);
            for (l, _) in links.filter(|(l, f)| !here || (l.vpc == v.id && f.made())) {
                if cvms.contains(l.instance.as_str()) && seen.insert(&l.instance) {
                    froms.push(&l.instance);
                }
            }
            if here {
                m.rows_linked_here = froms.len();
            }
        }
        m.rows_total = froms.len();
        m.columns_total = v.resources.len();
        // A page past the end (the plan changed under it) shows the last one.
        let last_page = |n: usize| n.saturating_sub(1) / MATRIX_LIMIT * MATRIX_LIMIT;
        m.rows_from = rows_from.min(last_page(m.rows_total));
        m.columns_from = columns_from.min(last_page(m.columns_total));
        m.columns = v.resources.iter().skip(m.columns_from).take(MATRIX_LIMIT).map(|r| r.id.to_string()).collect();
        let froms: Vec<&str> = froms.into_iter().skip(m.rows_from).take(MATRIX_LIMIT).collect();
        let mut notes = Vec::new();
        if m.rows_total == 0 {
            notes.push("No classic CVM is linked yet".to_string());
        }
        if m.columns_total == 0 {
            notes.push(format!("{} has no resources to answer", m.vpc));
        }
        let (proto, port) = match asked {
            Ok(pp) => pp,
            Err(e) => {
                m.note = Some(e);
                return m;
            }
        };
        // One network for the whole matrix, indexing just its rows and columns.
        let from_ends: Vec<Endpoint> = froms.iter().map(|&f| Endpoint::from(f)).collect();
        let tos: Vec<Endpoint> = m.columns.iter().map(|c| Endpoint::from(c.as_str())).collect();
        let net = Network::for_endpoints(&self.plan, from_ends.iter().chain(&tos));
        for (from_id, from) in froms.iter().zip(&from_ends) {
            let mut row = MatrixRow { from: from_id.to_string(), cells: Vec::new() };
            for (to, to_id) in tos.iter().zip(&m.columns) {
                match net.reach(from, to, proto, port) {
                    Ok(a) => row.cells.push(MatrixCell {
                        to: to_id.clone(),
                        reachable: a.reachable,
                        reason: a.reason.map(|r| r.as_str().to_string()),
                        message: a.message,
                    }),
                    Err(e) => {
                        m.note = Some(e.to_string());
                        return m;
                    }
                }
            }
            m.rows.push(row);
        }
        if !notes.is_empty() {
            m.note = Some(notes.join("; "));
        }
        m
    }

    /// Why no matrix can be asked of the plan: it has no VPC, whose resources are the matrix's columns.
    fn matrix_off(&self) -> Option<&'static str> {
        self.plan.vpcs.is_empty().then_some("The plan has no VPC yet")
    }

    /// Everything the UI draws, as plain data.
    pub fn view(&self) -> ViewModel {
        let plan = &*self.plan;
        let highlight: HashSet<&str> =
            self.highlight.iter().map(String::as_str).chain(self.selection.as_deref()).collect();
        let hops: Vec<String> = match &self.reach {
            Some(ReachQuery { outcome: Ok(a), .. }) => a.hops.clone(),
            _ => Vec::new(),
        };
        // A finding hovered or focused marks its own objects alone; otherwise a reach answer's hops alone (a
        // selection elsewhere, marked alike, read as part of the path); otherwise the selection. The selection keeps
        // its own mark ("selected") throughout.
        let hl: HashSet<&str> = if !self.highlight.is_empty() {
            self.highlight.iter().map(String::as_str).collect()
        } else if !hops.is_empty() {
            hops.iter().map(String::as_str).collect()
        } else {
            self.selection.as_deref().into_iter().collect()
        };
        let derived = self.derived();
        let diagram = layout::layout(
            plan,
            &layout::LayoutInput {
                highlight: hl,
                selected: self.selection.as_deref(),
                collapsed: self.collapsed.iter().map(String::as_str).collect(),
                classic_limit: self.diagram_limit,
                resource_limit: DIAGRAM_RESOURCES,
                hops: &hops,
                shown_links: &derived.shown_links,
                fates: &derived.fates,
            },
        );
        // The first pages of the findings (errors first, as the check sorts them) and of the expectations.
        let findings_page = Page::of(derived.findings.len(), self.findings_limit);
        let expectations_page = Page::of(derived.expectations.len(), self.expectations_limit);
        let findings: Vec<FindingView> = derived
            .findings
            .iter()
            .take(findings_page.shown)
            .map(|f| FindingView {
                highlighted: !f.objects.is_empty() && f.objects.iter().all(|o| highlight.contains(o.as_str())),
                ..f.clone()
            })
            .collect();
        ViewModel {
            name: plan.name.clone(),
            revision: self.revision,
            can_undo: self.can_undo(),
            can_redo: self.can_redo(),
            undo_what: self.undo.last().map(|step| step.done.clone()),
            redo_what: self.redo.last().map(|step| step.done.clone()),
            counts: derived.counts,
            findings,
            findings_page,
            expectations: derived.expectations[..expectations_page.shown].to_vec(),
            expectations_page,
            gauges: derived.gauges.clone(),
            diagram,
            selected: self.selected_view(),
            notice: self.notice.clone(),
            try_answer: self.try_answer.clone(),
            reach: self.reach.clone(),
            matrix: self.matrix.clone(),
            matrix_off: self.matrix_off().map(str::to_string),
            import_errors: self.import_errors.clone(),
            unsaved: self.unsaved.clone(),
            ask_before_leaving: self.unsaved.is_some() || self.form.as_ref().is_some_and(Form::changed),
            effects: self.effects.clone(),
            bulk: self.bulk_view(),
            form: self.form.as_ref().map(|f| self.form_view(f)),
            endpoints: derived.endpoints.clone(),
            others: derived.others.clone(),
            vpcs: derived.vpcs.clone(),
            search: self.search.clone(),
            diagram_total: plan.classic.len(),
            diagram_limit: self.diagram_limit,
            tools: self.tools_view(),
            selections: self.selections,
        }
    }

    fn selected_view(&self) -> Option<SelectedView> {
        // What a gateway, peering or CCN selected says of a linked CVM's traffic.
        const NOT_TRANSITIVE: &str = "does not carry a linked classic CVM's traffic (not transitive, CL013)";
        let id = self.selection.as_deref()?;
        let plan = &*self.plan;
        let kind = forms::kind_of(plan, id)?;
        let mut facts = Vec::new();
        let mut cvm = None;
        let mut non_cvm_links = Vec::new();
        match kind {
            ObjectKind::Classic => {
                let c = plan.classic_instance(id)?;
                facts.extend([
                    ("Kind".to_string(), c.kind.label().to_string()),
                    ("Private IP".to_string(), c.ip.to_string()),
                    ("Region".to_string(), c.region.to_string()),
                    ("Zone".to_string(), c.zone.to_string()),
                    ("State".to_string(), c.state.to_string()),
                    ("Security groups".to_string(), c.security_groups.join(", ")),
                ]);
                if c.kind != Kind::Cvm {
                    let reached = if c.kind.terminal_connectable() {
                        "a VPC reaches this instance only through a terminal connection".to_string()
                    } else {
                        format!("no terminal connection serves a classic {}, so no VPC reaches it", c.kind.label())
                    };
                    facts.push((
                        "Classiclink".to_string(),
                        format!("links only classic CVMs (CL005, UnsupportedOperation); {reached}"),
                    ));
                    non_cvm_links = cvm_links(plan, &self.derived().fates, id).1;
                }
                if c.kind == Kind::Cvm {
                    let derived = self.derived();
                    let (held, unmade) = cvm_links(plan, &derived.fates, id);
                    let link = held.map(|l| &plan.links[l]);
                    cvm = Some(CvmView {
                        ip: c.ip.to_string(),
                        state: c.state,
                        linked_to: link.map(|l| l.vpc.to_string()),
                        link_ip_note: link
                            .and_then(|l| l.ip_before(c.ip))
                            .map(|ip| format!("made with IP {ip}; its IP {}", crate::domain::model::ip_now(ip, c.ip))),
                        link_valid: held.is_some_and(|l| derived.fates[l] == LinkFate::Works),
                        unmade,
                        returned: c.state == State::Returned,
                        ip_error: self.ip_error.as_ref().filter(|(i, _)| i == id).map(|(_, m)| m.clone()),
                    });
                }
            }
            ObjectKind::Vpc => {
                let v = plan.vpc(id)?;
                facts.extend([
                    ("Region".to_string(), v.region.to_string()),
                    ("Primary CIDR".to_string(), v.cidr.to_string()),
                    (
                        "Assistant CIDRs".to_string(),
                        v.assistant_cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "),
                    ),
                    ("Subnets".to_string(), v.subnets.len().to_string()),
                    ("Resources".to_string(), v.resources.len().to_string()),
                    ("Linked CVMs".to_string(), self.linked_cvms(id)),
                ]);
            }
            ObjectKind::Resource => {
                let r = plan.vpcs.iter().flat_map(|v| v.resources.iter()).find(|r| r.id == id)?;
                facts.extend([
                    ("Kind".to_string(), r.kind.label().to_string()),
                    ("Private IP".to_string(), r.ip.to_string()),
                    ("Subnet".to_string(), r.subnet.to_string()),
                    ("State".to_string(), r.state.to_string()),
                    ("Security groups".to_string(), r.security_groups.join(", ")),
                ]);
            }
            ObjectKind::Subnet => {
                let (v, s) = plan.vpcs.iter().find_map(|v| Some((v, v.subnet(id)?)))?;
                // A linked classic CVM reaches the primary CIDR only: a subnet in an assistant CIDR is out of its
                // reach, which is worth seeing where the subnet is shown.
                let cidr = match v.assistant_cidrs.iter().find(|a| a.covers(&s.cidr)) {
                    Some(a) => format!("{} (in assistant CIDR {a}: linked classic CVMs do not reach it)", s.cidr),
                    None => s.cidr.to_string(),
                };
                let held = v.resources.iter().filter(|r| r.subnet == s.id).count();
                facts.extend([
                    ("VPC".to_string(), v.id.to_string()),
                    ("CIDR".to_string(), cidr),
                    ("Zone".to_string(), s.zone.to_string()),
                    ("Network ACL".to_string(), s.acl.as_deref().unwrap_or("none (unfiltered)").to_string()),
                    ("Resources".to_string(), held.to_string()),
                ]);
            }
            ObjectKind::Gateway => {
                let (v, g) = plan.vpcs.iter().find_map(|v| Some((v, v.gateways.iter().find(|g| g.id == id)?)))?;
                let leads = if g.kind.has_remote_cidrs() {
                    g.remote_cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
                } else {
                    "the internet".to_string()
                };
                facts.extend([
                    ("VPC".to_string(), v.id.to_string()),
                    ("Kind".to_string(), g.kind.label().to_string()),
                    ("Leads to".to_string(), leads),
                    ("Classiclink".to_string(), NOT_TRANSITIVE.to_string()),
                ]);
            }
            ObjectKind::Peering | ObjectKind::Ccn => {
                let vpcs = match plan.peerings.iter().find(|p| p.id == id) {
                    Some(p) => &p.vpcs,
                    None => &plan.ccns.iter().find(|c| c.id == id)?.vpcs,
                };
                facts.extend([
                    ("VPCs".to_string(), vpcs.join(", ")),
                    ("Classiclink".to_string(), NOT_TRANSITIVE.to_string()),
                ]);
            }
            ObjectKind::SecurityGroup | ObjectKind::NetworkAcl => {
                let (ingress, egress, bound) = match plan.security_group(id) {
                    Some(g) => {
                        let classic = plan.classic.iter().filter(|c| c.security_groups.iter().any(|x| x == id));
                        let vpc = plan.vpcs.iter().flat_map(|v| &v.resources);
                        let vpc = vpc.filter(|r| r.security_groups.iter().any(|x| x == id));
                        let n = classic.count() + vpc.count();
                        (g.ingress.len(), g.egress.len(), rules::count(n, "instance", "instances"))
                    }
                    None => {
                        let a = plan.network_acl(id)?;
                        let subnets = plan.vpcs.iter().flat_map(|v| &v.subnets);
                        let n = subnets.filter(|s| s.acl.as_deref() == Some(id)).count();
                        (a.ingress.len(), a.egress.len(), rules::count(n, "subnet", "subnets"))
                    }
                };
                facts.extend([
                    ("Rules".to_string(), format!("{ingress} inbound, {egress} outbound")),
                    ("Bound to".to_string(), bound),
                ]);
            }
            ObjectKind::TerminalConnection => {
                let t = plan.terminal_connections.iter().find(|t| t.id == id)?;
                facts.extend([
                    ("Maps".to_string(), t.target.to_string()),
                    ("Into".to_string(), format!("{} at {}", t.vpc, t.ip)),
                ]);
            }
            _ => {}
        }
        facts.retain(|(_, v)| !v.is_empty());
        Some(SelectedView {
            id: id.to_string(),
            kind,
            title: format!("{} {id}", kind.label()),
            facts,
            cvm,
            non_cvm_links,
        })
    }

    /// The "Linked CVMs" of VPC `id`'s selection: how many CVMs hold a link Tencent Cloud made to it
    /// (`LinkFate::made`); when its gauge counts more (CVMs refused for the quota alone, which CL003 counts as
    /// asking: `Refs::linking_per_vpc`), that number and how many are past the quota; and how many listed links to
    /// it were never made for another reason (another region, a VPC outside 10.0-47, a returned CVM, a repeat...):
    /// "4; 5 asking (1 past the quota); 1 listed link never made".
    fn linked_cvms(&self, id: &str) -> String {
        let derived = self.derived();
        let asking = derived.gauges.iter().find(|g| g.vpc == id).map_or(0, |g| g.links);
        let fates = self.plan.links.iter().zip(&derived.fates).filter(|(l, _)| l.vpc == id).map(|(_, f)| f);
        let (mut made, mut never) = (0, 0);
        for f in fates {
            match f {
                f if f.made() => made += 1,
                LinkFate::Refused(crate::domain::refs::Refusal::Quota) => {}
                _ => never += 1,
            }
        }
        let mut out = made.to_string();
        if asking > made {
            out.push_str(&format!("; {asking} asking ({} past the quota)", asking - made));
        }
        match never {
            0 => {}
            1 => out.push_str("; 1 listed link never made"),
            n => out.push_str(&format!("; {n} listed links never made")),
        }
        out
    }

    fn bulk_view(&self) -> Option<BulkView> {
        let plan = &*self.plan;
        let vpc = self
            .bulk_vpc
            .as_deref()
            .and_then(|id| plan.vpc(id))
            .or_else(|| plan.vpcs.iter().find(|v| in_classiclink_range(&v.cidr)))
            .or_else(|| plan.vpcs.first())?;
        // Each CVM's link as the diagram shows it (`Refs::shown_link`): the one at work, else its first.
        let derived = self.derived();
        let q = self.search.trim().to_lowercase();
        let matches = |c: &crate::domain::model::ClassicInstance| {
            q.is_empty()
                || c.ip.to_string().contains(&q)
                || c.id.to_lowercase().contains(&q)
                || c.name.to_lowercase().contains(&q)
        };
        // Each CVM's first link to this VPC, refused ones too: they take no place in the quota
        // (`Refs::linking_per_vpc`; `counted_here` is the gauge's), but they are listed here to be unlinked here.
        let mut here: HashMap<&str, usize> = fx_map(plan.links.len());
        for (l, link) in plan.links.iter().enumerate().filter(|(_, l)| l.vpc == vpc.id) {
            here.entry(link.instance.as_str()).or_insert(l);
        }
        let link_here = |id: &str| here.get(id).copied();
        let row = |(i, c): &(usize, &crate::domain::model::ClassicInstance)| {
            // Listed under this VPC: that link; else the one it is shown with.
            let shown = derived.shown_links[*i];
            let (link, works) = match link_here(&c.id) {
                Some(l) => (Some(l), shown == Some((l, true))),
                None => (shown.map(|(l, _)| l), shown.is_some_and(|(_, w)| w)),
            };
            BulkRow {
                id: c.id.to_string(),
                name: c.name.clone(),
                ip: c.ip.to_string(),
                state: c.state,
                linked_to: link.map(|l| plan.links[l].vpc.to_string()),
                link_valid: works,
                link_made: link.is_some_and(|l| derived.fates[l].made()),
                link_why: link.and_then(|l| derived.fates[l].why(plan, l)),
                checked: self.checked.contains(c.id.as_str()),
            }
        };
        // A returned CVM no longer exists: nothing to link or unlink (Tencent Cloud removed its link; a record of it
        // left in the plan is CL012's, and goes with the instance in Draw).
        let cvms = plan
            .classic
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind.is_cvm() && c.state != State::Returned && matches(c));
        let (linked, others): (Vec<_>, Vec<_>) = cvms.partition(|(_, c)| link_here(&c.id).is_some());
        // Ticks, whatever is shown.
        let ticked = |here: bool| -> Vec<String> {
            plan.classic
                .iter()
                .filter(|c| c.kind.is_cvm() && c.state != State::Returned && self.checked.contains(c.id.as_str()))
                .filter(|c| link_here(&c.id).is_some() == here)
                .map(|c| c.id.to_string())
                .collect()
        };
        let shown_ticked = |rows: &[(usize, &crate::domain::model::ClassicInstance)]| {
            rows.iter().take(self.list_limit).filter(|(_, c)| self.checked.contains(c.id.as_str())).count()
        };
        let (checked_linked, checked_candidates) = (ticked(true), ticked(false));
        let checked_linked_hidden = checked_linked.len() - shown_ticked(&linked);
        let checked_candidates_hidden = checked_candidates.len() - shown_ticked(&others);
        let listed_here = if q.is_empty() {
            linked.len()
        } else {
            plan.classic
                .iter()
                .filter(|c| c.kind.is_cvm() && c.state != State::Returned && link_here(&c.id).is_some())
                .count()
        };
        // Whatever the search: the CVMs holding a link Tencent Cloud made to this VPC.
        let made_here = plan.links.iter().zip(&derived.fates).filter(|(l, f)| l.vpc == vpc.id && f.made()).count();
        let counted_here = derived.gauges.iter().find(|g| g.vpc == vpc.id).map_or(0, |g| g.links);
        Some(BulkView {
            vpc: vpc.id.to_string(),
            note: bulk_note(&vpc.id, listed_here, made_here, counted_here),
            listed_here,
            made_here,
            counted_here,
            // Searching, the count says what it counts: "(0)" beside a gauge of 6 read as none linked.
            linked_count: if q.is_empty() {
                thousands(linked.len())
            } else {
                format!("{} of {} match", thousands(linked.len()), thousands(listed_here))
            },
            linked_total: linked.len(),
            candidates_count: if q.is_empty() {
                thousands(others.len())
            } else {
                format!("{} match", thousands(others.len()))
            },
            candidates_total: others.len(),
            linked: linked.iter().take(self.list_limit).map(row).collect(),
            candidates: others.iter().take(self.list_limit).map(row).collect(),
            checked: self.checked.iter().cloned().collect(),
            checked_linked,
            checked_candidates,
            checked_linked_hidden,
            checked_candidates_hidden,
        })
    }

    fn form_view(&self, f: &Form) -> FormView {
        // Shown once the user has typed or asked to save, an empty field's once the user was at it (`Form::shows`).
        let problems: Vec<forms::Problem> = f.problems(&self.plan).into_iter().filter(|p| f.shows(p)).collect();
        let conflicts: Vec<_> = f.conflicts().collect();
        let fields = f
            .kind
            .fields()
            .iter()
            .map(|spec| {
                let options = match spec.input {
                    FieldInput::Select(opts) => opts.iter().map(|s| s.to_string()).collect(),
                    FieldInput::Vpc => self.plan.vpcs.iter().map(|v| v.id.to_string()).collect(),
                    _ => Vec::new(),
                };
                // An expectation about ICMP or ALL keeps no port (`Form::apply` drops it): its field is off.
                let off = (f.kind == ObjectKind::Expectation && spec.key == "port" && !has_ports(f.get("protocol")))
                    .then_some("ICMP and ALL have no port: none is saved");
                FieldView {
                    key: spec.key,
                    label: spec.label,
                    hint: spec.hint,
                    input: spec.input,
                    // An off field shows no value: the one kept for TCP or UDP is not saved.
                    value: if off.is_some() { String::new() } else { f.get(spec.key).to_string() },
                    off,
                    plan_now: conflicts.iter().find(|c| c.0 == spec.key).map(|c| c.1.clone()),
                    options,
                    // At the edited object's field, or at an item of its list (`...security_groups[1]`).
                    errors: problems.iter().filter(|p| p.at_field(spec.key)).map(|p| p.message.clone()).collect(),
                }
            })
            .collect();
        FormView {
            kind: f.kind,
            title: format!("{} {}", if f.original.is_some() { "Edit" } else { "Add" }, f.kind.noun()),
            editing: f.original.clone(),
            fields,
            rules: f.kind.has_rules().then(|| (f.ingress.clone(), f.egress.clone())),
            valid: f.errors.is_empty(),
            summary: (!problems.is_empty()).then(|| {
                format!("✖ {} — not applied until fixed:", rules::count(problems.len(), "problem", "problems"))
            }),
            lines: problems.iter().map(|p| p.line.clone()).collect(),
            errors: problems.into_iter().map(|p| p.error).collect(),
            changed: f.changed(),
            discard: self.discard_ask(),
        }
    }
}

/// What [`Session::view`] derives from the plan and its report alone: computed once per revision and shared by
/// every view of that revision (selecting, hovering or searching does not rebuild it).
#[derive(Debug)]
struct Derived {
    /// The plan it was derived from.
    plan: Rc<Plan>,
    /// Every finding, none highlighted.
    findings: Vec<FindingView>,
    counts: Counts,
    expectations: Vec<ExpectationView>,
    gauges: Vec<Gauge>,
    /// `[classic]` -> the link it is shown with and whether it carries traffic (`Refs::shown_link`): for the
    /// diagram, the selection and the Links tab, computed once per revision.
    shown_links: Vec<Option<(usize, bool)>>,
    /// `[link]` -> what became of it (`Refs::link_fate`): made or not, and why it carries nothing, for the
    /// diagram's edges, the selection and the counts.
    fates: Vec<LinkFate>,
    endpoints: Rc<Endpoints>,
    others: Vec<(ObjectKind, String)>,
    vpcs: Vec<(String, String)>,
}

impl Derived {
    /// Derives from `plan` (whose report is `report`), reusing `previous`'s endpoints when they describe the same
    /// objects (a link, a rename or an event on a CVM's state leaves them as they were).
    fn new(plan: &Rc<Plan>, report: &Report, previous: Option<&Derived>) -> Derived {
        let findings: Vec<FindingView> = report
            .findings
            .iter()
            .map(|f| {
                let info = rules::rule(f.rule).map(|r| &r.info);
                FindingView {
                    rule: f.rule.to_string(),
                    name: info.map(|i| i.name.to_string()).unwrap_or_default(),
                    severity: f.severity,
                    icon: severity_icon(f.severity),
                    word: severity_word(f.severity),
                    api_error: f.api_error.map(str::to_string),
                    objects: f.objects.clone(),
                    message: f.message.clone(),
                    explanation: info.map(|i| Explanation {
                        summary: i.summary.to_string(),
                        what: i.what.to_string(),
                        why: i.why.to_string(),
                        fix: i.fix.to_string(),
                        seed: i.seed.to_string(),
                        seed_lang: seed_lang(i.seed),
                    }),
                    highlighted: false,
                }
            })
            .collect();
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let counts =
            Counts { errors: count(Severity::Error), warnings: count(Severity::Warning), infos: count(Severity::Info) };
        let expectations = report
            .expectations
            .iter()
            .filter_map(|r| {
                let e = plan.expectations.get(r.index)?;
                Some(ExpectationView {
                    index: r.index,
                    from: e.from.to_string(),
                    to: e.to.to_string(),
                    protocol: e.protocol().to_string(),
                    port: e.port(),
                    traffic: crate::domain::reach::traffic(e.protocol(), e.port()),
                    expect_reachable: e.reachable,
                    holds: r.holds,
                    reason: r.answer.reason.map(|x| x.as_str().to_string()),
                    message: r.answer.message.clone(),
                    description: e.description.clone(),
                })
            })
            .collect();
        // Links per VPC as CL003 and AttachClassicLinkVpc count them (links Tencent Cloud refuses take no place), and
        // the link each classic instance is shown with: one resolution of the plan's references for both.
        let refs = crate::domain::Refs::new(plan);
        let links_per_vpc = refs.linking_per_vpc(plan);
        let shown_links: Vec<_> = (0..plan.classic.len()).map(|c| refs.shown_link(plan, c)).collect();
        let fates = (0..plan.links.len()).map(|l| refs.link_fate(plan, l)).collect();
        let gauges = plan
            .vpcs
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let links = links_per_vpc[i];
                let quota = plan.quotas.links_per_vpc as usize;
                Gauge {
                    vpc: v.id.to_string(),
                    label: if v.name.is_empty() { v.id.to_string() } else { format!("{} ({})", v.name, v.id) },
                    links,
                    quota,
                    percent: (links * 100).checked_div(quota).map_or(100, |p| p.min(100)) as u32,
                    over: links > quota,
                    linkable: in_classiclink_range(&v.cidr),
                    unlinkable_reason: unlinkable_reason(&v.cidr),
                }
            })
            .collect();
        // The descriptions are rebuilt when an object they say changes; the links said with them, when a link does.
        let endpoints = match previous {
            Some(p) if same_endpoints(&p.plan, plan) => match same_links(p, plan, &shown_links) {
                true => p.endpoints.clone(),
                false => Rc::new(Endpoints::new(p.endpoints.objects.clone(), plan, &shown_links)),
            },
            _ => Rc::new(Endpoints::new(Rc::new(Objects::new(endpoints(plan))), plan, &shown_links)),
        };
        Derived {
            plan: plan.clone(),
            findings,
            counts,
            expectations,
            gauges,
            shown_links,
            fates,
            endpoints,
            others: others(plan),
            vpcs: plan.vpcs.iter().map(|v| (v.id.to_string(), label_of(&v.name, &v.id))).collect(),
        }
    }
}

/// The Links tab's note when not every CVM listing a link to `vpc` (`listed` of them) is linked: how many are
/// (`made`), how many its quota counts (`counted`: the gauge's number, those refused for the quota alone included),
/// and how many Tencent Cloud refused for another reason.
fn bulk_note(vpc: &str, listed: usize, made: usize, counted: usize) -> Option<String> {
    if listed == made {
        return None;
    }
    let mut why = Vec::new();
    if counted > made {
        why.push(format!("{} past its quota (its gauge counts the {counted} asking)", counted - made));
    }
    if listed > counted {
        why.push(format!("{} refused for another reason", listed - counted));
    }
    let list = if listed == 1 { "1 CVM lists" } else { "CVMs list" };
    let count = if listed == 1 { String::new() } else { format!("{listed} ") };
    Some(format!(
        "{count}{list} a link to {vpc}, {made} linked: Tencent Cloud never made the others' links ({}; marked, see \
         the checks).",
        why.join(", ")
    ))
}

/// The links of classic CVM `id` as Tencent Cloud would have them (`fates` are `Derived::fates`): the one it holds
/// (made, working or not), and its other listed links, never made, each VPC once with why. A link to the held
/// link's VPC listed again is left out: unlinking that VPC removes both.
fn cvm_links(plan: &Plan, fates: &[LinkFate], id: &str) -> (Option<usize>, Vec<UnmadeLink>) {
    let mine = || plan.links.iter().enumerate().filter(|(_, l)| l.instance == id).map(|(i, _)| i);
    let held = mine().find(|&l| fates[l].made());
    let held_vpc = held.map(|l| plan.links[l].vpc.as_str());
    let mut unmade: Vec<UnmadeLink> = Vec::new();
    for l in mine().filter(|&l| !fates[l].made()) {
        let vpc = plan.links[l].vpc.as_str();
        if Some(vpc) == held_vpc || unmade.iter().any(|u| u.vpc == vpc) {
            continue;
        }
        unmade.push(UnmadeLink {
            vpc: vpc.to_string(),
            why: fates[l].why(plan, l).unwrap_or_default(),
            unlink: !matches!(fates[l], LinkFate::Returned | LinkFate::Dangling),
        });
    }
    (held, unmade)
}

fn list(ids: &[String]) -> String {
    match ids.len() {
        0 => "nothing".into(),
        1..=3 => ids.join(", "),
        n => format!("{n} CVMs"),
    }
}

fn label_of(name: &str, id: &str) -> String {
    if name.is_empty() {
        id.to_string()
    } else {
        format!("{name} ({id})")
    }
}

/// What a reach question can name by ID, each with its description: the classic instances and VPC resources, which
/// alone the core takes as an endpoint ID (a gateway, a terminal connection or another object it refuses: "is a
/// gateway, not an instance or resource").
fn endpoints(plan: &Plan) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = plan
        .classic
        .iter()
        .map(|c| (c.id.to_string(), format!("classic {} {} {}", c.kind.label(), c.ip, c.name)))
        .collect();
    for v in &plan.vpcs {
        out.extend(
            v.resources
                .iter()
                .map(|r| (r.id.to_string(), format!("{} {} {} in {}", r.kind.label(), r.ip, r.name, v.id))),
        );
    }
    out
}

/// Every object a reach question can name by ID, for the form's suggestions: thousands in a big plan, of which
/// [`Endpoints::suggest`] offers the few matching what is typed (the page draws those alone, not one option each).
/// A classic instance's description says its link as the diagram shows it ([`Refs::shown_link`]): typing a VPC's ID
/// finds the CVMs linked to it as well as its resources.
///
/// [`Refs::shown_link`]: crate::domain::Refs::shown_link
#[derive(Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// The descriptions without the links, shared while the objects they say are unchanged (a link, made or taken
    /// away, changes no description but one instance's link).
    objects: Rc<Objects>,
    /// `[classic]` -> its description with its link ("..., linked to vpc-prod") and its key with it, lowered; `None`
    /// without a link.
    linked: Vec<Option<(String, String)>>,
}

/// (ID, description) of every endpoint, in plan order, and the keys matched against what is typed.
#[derive(Debug, PartialEq, Eq)]
struct Objects {
    all: Vec<(String, String)>,
    /// Each entry's ID, a line break and its description, in lower case: matched against what is typed, lowered
    /// once per list rather than on every keystroke.
    keys: Vec<String>,
}

impl Objects {
    fn new(all: Vec<(String, String)>) -> Objects {
        let keys = all.iter().map(|(id, d)| format!("{id}\n{d}").to_lowercase()).collect();
        Objects { all, keys }
    }
}

impl Endpoints {
    /// The endpoints of `objects`, the descriptions of `plan`'s objects, with the links `shown` (`[classic]`).
    fn new(objects: Rc<Objects>, plan: &Plan, shown: &[Option<(usize, bool)>]) -> Endpoints {
        let linked = shown
            .iter()
            .enumerate()
            .map(|(c, link)| {
                let (l, works) = (*link)?;
                let vpc = &plan.links[l].vpc;
                let said =
                    if works { format!("linked to {vpc}") } else { format!("its link to {vpc} carries nothing") };
                let description = format!("{}, {said}", objects.all[c].1);
                Some((description, format!("{}, {}", objects.keys[c], said.to_lowercase())))
            })
            .collect();
        Endpoints { objects, linked }
    }

    /// The `i`th endpoint: its ID and description.
    fn entry(&self, i: usize) -> (String, String) {
        let (id, description) = &self.objects.all[i];
        match self.linked.get(i).and_then(Option::as_ref) {
            Some((with_link, _)) => (id.clone(), with_link.clone()),
            None => (id.clone(), description.clone()),
        }
    }

    /// Every endpoint: (ID, description), in plan order.
    pub fn all(&self) -> Vec<(String, String)> {
        (0..self.objects.all.len()).map(|i| self.entry(i)).collect()
    }

    /// The suggestions for a From or To field holding `typed`: at most [`SUGGESTIONS`] endpoints, those whose ID
    /// starts with it first, then those whose ID or description (kind, IP, name, VPC, link) holds it, each in plan
    /// order, in any case; the first ones when it is empty. One pass over the lowered keys, which stops once the
    /// first kind fills the list: cheap enough for every keystroke at Tencent's scale.
    pub fn suggest(&self, typed: &str) -> Vec<(String, String)> {
        let q = typed.trim().to_lowercase();
        let mut starts = Vec::new();
        let mut holds = Vec::new();
        for (i, key) in self.objects.keys.iter().enumerate() {
            let key = self.linked.get(i).and_then(Option::as_ref).map_or(key, |(_, with_link)| with_link);
            if key.starts_with(&q) {
                starts.push(i);
                if starts.len() == SUGGESTIONS {
                    break;
                }
            } else if holds.len() < SUGGESTIONS && key.contains(&q) {
                holds.push(i);
            }
        }
        starts.into_iter().chain(holds).take(SUGGESTIONS).map(|i| self.entry(i)).collect()
    }
}

/// Whether [`endpoints`] gives the same list for both plans (compares what it reads, without formatting).
fn same_endpoints(a: &Plan, b: &Plan) -> bool {
    let classic = a.classic.len() == b.classic.len()
        && a.classic
            .iter()
            .zip(&b.classic)
            .all(|(x, y)| x.id == y.id && x.kind == y.kind && x.ip == y.ip && x.name == y.name);
    classic
        && a.vpcs.len() == b.vpcs.len()
        && a.vpcs.iter().zip(&b.vpcs).all(|(v, w)| {
            v.id == w.id
                && v.resources.len() == w.resources.len()
                && v.resources
                    .iter()
                    .zip(&w.resources)
                    .all(|(r, s)| r.id == s.id && r.kind == s.kind && r.ip == s.ip && r.name == s.name)
        })
}

/// Whether every classic instance of `plan` is shown with the same link (its VPC, and whether it carries traffic)
/// as in `before`: what [`Endpoints`] says of it.
fn same_links(before: &Derived, plan: &Plan, shown: &[Option<(usize, bool)>]) -> bool {
    before.shown_links.len() == shown.len()
        && before.shown_links.iter().zip(shown).all(|(&a, &b)| match (a, b) {
            (Some((l, was)), Some((m, works))) => was == works && before.plan.links[l].vpc == plan.links[m].vpc,
            (a, b) => a.is_none() && b.is_none(),
        })
}

fn others(plan: &Plan) -> Vec<(ObjectKind, String)> {
    let mut out = Vec::new();
    out.extend(plan.security_groups.iter().map(|g| (ObjectKind::SecurityGroup, g.id.to_string())));
    out.extend(plan.network_acls.iter().map(|a| (ObjectKind::NetworkAcl, a.id.to_string())));
    out.extend(plan.peerings.iter().map(|p| (ObjectKind::Peering, p.id.to_string())));
    out.extend(plan.ccns.iter().map(|c| (ObjectKind::Ccn, c.id.to_string())));
    out.extend(plan.terminal_connections.iter().map(|t| (ObjectKind::TerminalConnection, t.id.to_string())));
    out
}

/// The icon shown with a severity (never colour alone).
pub fn severity_icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✖",
        Severity::Warning => "▲",
        Severity::Info => "ℹ",
    }
}

/// The word shown with a severity.
pub fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "Info",
    }
}

/// The lifecycle events offered on a classic CVM (changing the IP takes a typed address, see
/// [`Action::ChangeIp`]), with their labels.
pub const LIFECYCLE: [(Event, &str); 9] = [
    (Event::IsolateForArrears, "Isolate (arrears)"),
    (Event::SecurityIsolate, "Security isolate"),
    (Event::Stop, "Stop"),
    (Event::Start, "Start"),
    (Event::SwitchOs, "Switch OS"),
    (Event::ColdMigrate, "Cold migrate"),
    (Event::Failover, "Failover"),
    (Event::Reconfigure, "Change configuration"),
    (Event::Return, "Return (terminate)"),
];

/// A person's name for an event.
pub fn event_label(e: &Event) -> String {
    match e {
        Event::ChangeIp(ip) => format!("Change IP to {ip}"),
        other => LIFECYCLE.iter().find(|(x, _)| x == other).map(|(_, l)| l.to_string()).unwrap_or_default(),
    }
}

/// A stable key for an event (`data-testid`s).
pub fn event_key(e: &Event) -> &'static str {
    match e {
        Event::ChangeIp(_) => "change-ip",
        Event::IsolateForArrears => "isolate",
        Event::SecurityIsolate => "security-isolate",
        Event::ColdMigrate => "cold-migrate",
        Event::Failover => "failover",
        Event::Reconfigure => "reconfigure",
        Event::SwitchOs => "switch-os",
        Event::Stop => "stop",
        Event::Start => "start",
        Event::Return => "return",
    }
}

/// Findings counted by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// A rule's long explanation (from the catalogue).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub summary: String,
    pub what: String,
    pub why: String,
    pub fix: String,
    pub seed: String,
    /// The language the seed sentence is quoted in (`en`, `zh` or `ja`), for the page's `lang` attribute: a
    /// screen reader then reads it in that language, and the browser picks fonts for it.
    pub seed_lang: &'static str,
}

/// Which of the three source documents a rule's seed comes from, for a reader who has not seen them: two are
/// Tencent Cloud's Classiclink pages (English, Chinese), the third its overview of VPC and the classic network
/// (Japanese).
pub fn seed_source(docs: &[&str]) -> String {
    let names: Vec<&str> = docs
        .iter()
        .map(|d| match *d {
            "000" => "Classiclink documentation (English)",
            "001" => "Classiclink guide (Chinese)",
            "002" => "overview of VPC and the classic network (Japanese)",
            other => other,
        })
        .collect();
    let names = match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    format!("Tencent Cloud's {names}")
}

/// The language of a seed sentence by its script: Japanese if it has kana, Chinese if it has Han characters and no
/// kana, English otherwise (the three seed documents' languages).
pub fn seed_lang(text: &str) -> &'static str {
    let kana = |c: char| ('\u{3040}'..='\u{30ff}').contains(&c);
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    if text.chars().any(kana) {
        "ja"
    } else if text.chars().any(han) {
        "zh"
    } else {
        "en"
    }
}

/// One finding, ready to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingView {
    pub rule: String,
    /// The rule's kebab-case name.
    pub name: String,
    pub severity: Severity,
    pub icon: &'static str,
    pub word: &'static str,
    pub api_error: Option<String>,
    pub objects: Vec<String>,
    pub message: String,
    pub explanation: Option<Explanation>,
    /// Its objects are highlighted in the diagram.
    pub highlighted: bool,
}

/// One expectation and whether it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectationView {
    pub index: usize,
    pub from: String,
    pub to: String,
    pub protocol: String,
    pub port: u16,
    /// The traffic, as the core names it (`TCP 22`, `ICMP`, `all traffic`).
    pub traffic: String,
    pub expect_reachable: bool,
    pub holds: bool,
    pub reason: Option<String>,
    pub message: String,
    pub description: String,
}

/// Links of one VPC against its quota.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gauge {
    pub vpc: String,
    pub label: String,
    pub links: usize,
    pub quota: usize,
    /// `links / quota`, capped at 100.
    pub percent: u32,
    pub over: bool,
    /// Whether the VPC's CIDR allows Classiclink at all.
    pub linkable: bool,
    /// Why it does not, when it does not (see [`unlinkable_reason`]).
    pub unlinkable_reason: Option<String>,
}

/// A selected classic CVM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CvmView {
    pub ip: String,
    pub state: State,
    /// The VPC of the link it holds: one Tencent Cloud made (`LinkFate::made`), working or not. A CVM whose listed
    /// links were all refused holds none: it is not linked.
    pub linked_to: Option<String>,
    /// What became of the IP the link was made for, when an IP change invalidated the link (it then carries
    /// nothing): "made with IP 10.66.20.4; its IP is now 10.66.20.9" (or "changed since, and is ... again").
    pub link_ip_note: Option<String>,
    /// Whether the link carries traffic (made by Tencent Cloud, for the IP the CVM has).
    pub link_valid: bool,
    /// Its other listed links, which Tencent Cloud never made: each VPC once, with why.
    pub unmade: Vec<UnmadeLink>,
    pub returned: bool,
    /// Why the last IP change of this CVM was refused, if it was.
    pub ip_error: Option<String>,
}

/// A listed link of a selected CVM that Tencent Cloud never made (`LinkFate::made` is false): it carries nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnmadeLink {
    pub vpc: String,
    /// Why it was never made, in words, with the rule and the API's error (`LinkFate::why`).
    pub why: String,
    /// Whether Unlink removes it (`ops::detach` drops a listed link Tencent Cloud refused); not for a returned CVM,
    /// whose link went with it (detach refuses it: the instance goes with Delete, and its links with it), nor for a
    /// VPC the plan does not have.
    pub unlink: bool,
}

/// The selected object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectedView {
    pub id: String,
    pub kind: ObjectKind,
    pub title: String,
    pub facts: Vec<(String, String)>,
    /// Set when the selection is a classic CVM: what the link and lifecycle controls need.
    pub cvm: Option<CvmView>,
    /// A classic instance that is not a CVM: the links the plan lists for it, each never made (CL005), with why;
    /// Unlink drops them from the plan.
    pub non_cvm_links: Vec<UnmadeLink>,
}

/// A classic CVM in the bulk lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkRow {
    pub id: String,
    pub name: String,
    pub ip: String,
    pub state: State,
    /// The VPC of the link it is listed with: under a VPC, its link there; among the others, the link it is shown
    /// with (`Refs::shown_link`), made or not.
    pub linked_to: Option<String>,
    pub link_valid: bool,
    /// Whether Tencent Cloud made that link (`LinkFate::made`): a CVM whose listed link it refused is not linked.
    pub link_made: bool,
    /// Why that link carries nothing, in words (`LinkFate::why`).
    pub link_why: Option<String>,
    pub checked: bool,
}

/// Bulk link / unlink for one VPC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkView {
    pub vpc: String,
    /// CVMs linked to this VPC (first page), filtered by the search.
    pub linked: Vec<BulkRow>,
    pub linked_total: usize,
    /// How many are listed as linked here, as the list's heading says it: "6", or searching "0 of 6 match".
    pub linked_count: String,
    /// Whatever the search: the CVMs listing a link to this VPC, how many hold a link Tencent Cloud made, and how
    /// many its quota counts (its gauge: those linked and those refused for the quota alone; Tencent Cloud would
    /// refuse the others' links for another reason).
    pub listed_here: usize,
    pub made_here: usize,
    pub counted_here: usize,
    /// When some listed links here were never made: how many, and why in short (`bulk_note`).
    pub note: Option<String>,
    /// Other classic CVMs (first page), filtered by the search.
    pub candidates: Vec<BulkRow>,
    /// How many, as the list's heading says it: "7", or searching "1 match".
    pub candidates_count: String,
    pub candidates_total: usize,
    pub checked: Vec<String>,
    /// The ticked CVMs linked to this VPC, and the other ticked CVMs, in plan order, whatever the search and the page
    /// show: what "Unlink selected" and "Link selected" act on (ticks are kept from one search to the next).
    pub checked_linked: Vec<String>,
    pub checked_candidates: Vec<String>,
    /// How many of those the search or the page leaves out of the lists.
    pub checked_linked_hidden: usize,
    pub checked_candidates_hidden: usize,
}

/// One field of the open form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldView {
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub input: FieldInput,
    pub value: String,
    pub options: Vec<String>,
    /// Errors whose path ends in this field.
    pub errors: Vec<String>,
    /// Why the field is off (disabled, shown empty), when it is: it means nothing for what the form now holds.
    pub off: Option<&'static str>,
    /// When the user changed this field and the plan changed it too since the form opened (a what-if, an undo, an
    /// import): what the plan now has, which Save writes over with the value here.
    pub plan_now: Option<String>,
}

/// The open form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormView {
    pub kind: ObjectKind,
    pub title: String,
    pub editing: Option<String>,
    pub fields: Vec<FieldView>,
    /// Security groups and ACLs: ingress and egress rows.
    pub rules: Option<(Vec<RuleRow>, Vec<RuleRow>)>,
    /// Whether the candidate plan is valid (what Save needs).
    pub valid: bool,
    /// The errors of the candidate plan the form shows (see [`Form::shows`]), with their JSON paths.
    pub errors: Vec<PlanError>,
    /// The heading of the form's list of problems ("✖ 2 problems — not applied until fixed:"), when it has some.
    pub summary: Option<String>,
    /// The form's list of problems in a person's words: each field by its label, other objects by their IDs.
    pub lines: Vec<String>,
    /// Whether the form holds unsaved changes (it differs from what it opened with).
    pub changed: bool,
    /// The question the form asks before it drops unsaved changes, while it asks.
    pub discard: Option<DiscardAsk>,
}

/// A form's question before its unsaved changes are dropped, answered by Discard or Keep editing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscardAsk {
    /// "Discard unsaved changes?"
    pub question: &'static str,
    /// What Discard then does (closes the form, or opens the one asked for).
    pub detail: String,
}

impl FormView {
    /// The errors of one cell of the rule editor (`col`: `protocol`, `port`, `cidr`, `action`), joined: those whose
    /// path ends in `.ingress[row].col` (or egress). The peer cell (`cidr`) also shows those of the rule's `group`
    /// (a group that is none, a group in an ACL rule): it is where the group is typed.
    pub fn rule_error(&self, list: RuleList, row: usize, col: &str) -> Option<String> {
        let dir = list.as_str();
        let suffix = format!(".{dir}[{row}].{col}");
        let group = (col == "cidr").then(|| format!(".{dir}[{row}].group"));
        let of_cell = |path: &str| path.ends_with(&suffix) || group.as_deref().is_some_and(|g| path.ends_with(g));
        let found: Vec<&str> = self.errors.iter().filter(|e| of_cell(&e.path)).map(|e| e.message.as_str()).collect();
        (!found.is_empty()).then(|| found.join("; "))
    }
}

/// Everything the UI draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewModel {
    pub name: String,
    pub revision: u64,
    pub can_undo: bool,
    pub can_redo: bool,
    /// The step Undo would take back, and the one Redo would do again (their notices' words).
    pub undo_what: Option<String>,
    pub redo_what: Option<String>,
    /// The plan's findings by severity, all of them (the list holds a page).
    pub counts: Counts,
    /// The findings listed: the first [`ViewModel::findings_page`]`.shown`.
    pub findings: Vec<FindingView>,
    pub findings_page: Page,
    /// The expectations listed: the first [`ViewModel::expectations_page`]`.shown`.
    pub expectations: Vec<ExpectationView>,
    pub expectations_page: Page,
    pub gauges: Vec<Gauge>,
    pub diagram: Diagram,
    pub selected: Option<SelectedView>,
    pub notice: Option<Notice>,
    pub try_answer: Option<TryAnswer>,
    pub reach: Option<ReachQuery>,
    pub matrix: Option<Matrix>,
    /// Why the matrix cannot be asked (the plan has no VPC): its button is off, with this said beside it.
    pub matrix_off: Option<String>,
    pub import_errors: Vec<PlanError>,
    /// Why the plan is not saved in this browser (the last autosave failed), until an autosave works again.
    pub unsaved: Option<String>,
    /// Whether leaving the page (closing, reloading) would lose work, so the browser asks first: the plan is not
    /// saved in this browser, or a form holds unsaved changes (forms are not autosaved).
    pub ask_before_leaving: bool,
    /// What the last lifecycle event did.
    pub effects: Vec<String>,
    pub bulk: Option<BulkView>,
    pub form: Option<FormView>,
    /// Every object a reach question can name, for the form's suggestions ([`Endpoints::suggest`]). Shared by every
    /// view of one revision (it is long: one entry per instance and resource), and between revisions while unchanged.
    pub endpoints: Rc<Endpoints>,
    /// Objects not drawn in the diagram (security groups, ACLs, peerings, CCNs, terminal connections).
    pub others: Vec<(ObjectKind, String)>,
    /// Every VPC: (ID, label).
    pub vpcs: Vec<(String, String)>,
    pub search: String,
    /// Classic instances in the plan and how many the diagram draws.
    pub diagram_total: usize,
    pub diagram_limit: usize,
    /// The tools tab.
    pub tools: ToolsView,
    /// How many times an object was selected, the one already selected included: the workbench shows the Selection
    /// tab each time this moves (Enter or L on the selected tile, from another tab, shows it again).
    pub selections: u64,
}

/// How much of a long list the view holds: its first `shown` of `total` items; "Show more" lists `more` more.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub shown: usize,
    pub total: usize,
    /// How many the next "Show more" adds: 0 once every item is shown.
    pub more: usize,
}

impl Page {
    /// The page of a list of `total` items of which the user asked for `limit` ([`CHECKS_PAGE`] a "Show more").
    fn of(total: usize, limit: usize) -> Page {
        let shown = total.min(limit);
        Page { shown, total, more: (total - shown).min(CHECKS_PAGE) }
    }

    /// The limit after "Show more", from `limit` over a list of `total` items: a page more than is shown now (a limit
    /// left above a list that has shrunk since would add nothing unseen, then show a list grown again all at once).
    fn next(limit: usize, total: usize) -> usize {
        limit.min(total) + CHECKS_PAGE
    }

    /// "Showing 100 of 2,095 findings", while some are not shown.
    pub fn said(&self, what: &str) -> Option<String> {
        (self.shown < self.total)
            .then(|| format!("Showing {} of {} {what}", thousands(self.shown), thousands(self.total)))
    }
}

/// `n` with a comma between each group of three digits (`3,000,025`).
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether flows of `protocol` (as a form's protocol field holds it) have ports, as the core says
/// ([`Protocol::has_ports`]): TCP and UDP do, ICMP and ALL do not. A protocol the core does not read leaves the port
/// field on (asking says what is wrong with it). For the forms, which then turn their port field off.
pub fn has_ports(protocol: &str) -> bool {
    protocol.trim().parse::<Protocol>().map_or(true, |p| p.has_ports())
}

/// Why a VPC of CIDR `cidr` cannot accept classic links, in words for its gauge and its diagram region; `None` when it
/// can (the core's [`in_classiclink_range`], the range CL001 and CL021 name).
pub fn unlinkable_reason(cidr: &crate::domain::Cidr) -> Option<String> {
    (!in_classiclink_range(cidr))
        .then(|| format!("cannot accept classic links: CIDR {cidr} {}", rules::not_in_range(cidr)))
}

/// The protocol and port of a flow question, as the reach form reads them: a port 1-65535 for TCP and UDP.
fn protocol_port(protocol: &str, port: &str) -> Result<(Protocol, u16), String> {
    let proto: Protocol = protocol.trim().parse()?;
    let p = if proto.has_ports() {
        crate::domain::addr::parse_port(port.trim())
            .ok_or_else(|| format!("{:?} is not a port (1-65535)", port.trim()))?
    } else {
        port.trim().parse::<u16>().unwrap_or(0)
    };
    Ok((proto, p))
}

/// How many backends the CLBs still in `after` lost since `before`.
fn clb_backends_lost(before: &Plan, after: &Plan) -> usize {
    fn clbs(p: &Plan) -> impl Iterator<Item = (&str, usize)> {
        let classic = p.classic.iter().map(|c| (c.id.as_str(), c.backends.len()));
        classic.chain(p.vpcs.iter().flat_map(|v| &v.resources).map(|r| (r.id.as_str(), r.backends.len())))
    }
    let mut kept: HashMap<&str, usize> = fx_map(after.classic.len());
    kept.extend(clbs(after));
    clbs(before).filter_map(|(id, n)| kept.get(id).map(|&m| n.saturating_sub(m))).sum()
}

/// What a delete took with it, for its notice: ", and with it 5 links, 1 peering and 6 expectations", and what it
/// leaves unfiltered ("; ins-web01, ins-web02 lose a security group ...", named: the user has them to look at) or
/// filtered otherwise (rules naming a deleted group dropped); with whether it changed any filter that stays.
fn deleted_with(before: &Plan, after: &Plan, deleted: &str) -> (String, bool) {
    let less = |f: &dyn Fn(&Plan) -> usize| f(before).saturating_sub(f(after));
    // The object deleted is not one that went with it.
    let others = |ids: &mut dyn Iterator<Item = &crate::domain::Name>| ids.filter(|i| i.as_str() != deleted).count();
    let counted = |n: usize, one: &str, many: &str| (n > 0).then(|| crate::domain::rules::count(n, one, many));
    let lost_rules = rules_lost(before, after, deleted);
    let parts: Vec<String> = [
        counted(less(&|p| others(&mut p.vpcs.iter().flat_map(|v| &v.subnets).map(|s| &s.id))), "subnet", "subnets"),
        counted(
            less(&|p| others(&mut p.vpcs.iter().flat_map(|v| &v.resources).map(|r| &r.id))),
            "resource",
            "resources",
        ),
        counted(less(&|p| others(&mut p.vpcs.iter().flat_map(|v| &v.gateways).map(|g| &g.id))), "gateway", "gateways"),
        counted(less(&|p| p.links.len()), "link", "links"),
        counted(
            less(&|p| others(&mut p.terminal_connections.iter().map(|t| &t.id))),
            "terminal connection",
            "terminal connections",
        ),
        counted(less(&|p| others(&mut p.peerings.iter().map(|x| &x.id))), "peering", "peerings"),
        counted(less(&|p| p.ccns.iter().map(|c| c.vpcs.len()).sum()), "CCN membership", "CCN memberships"),
        // Backends lost by CLBs that stay (a CLB deleted takes its own backends with it, not counted again).
        counted(clb_backends_lost(before, after), "CLB backend", "CLB backends"),
        counted(less(&|p| p.expectations.len()), "expectation", "expectations"),
        counted(lost_rules, "security group rule naming it", "security group rules naming it"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut out = if parts.is_empty() { String::new() } else { format!(", and with it {}", parts.join(", ")) };
    // What stays but loses a filter: instances that lost a security group, subnets that lost their ACL.
    fn groups_of(p: &Plan) -> Vec<(&str, usize)> {
        let classic = p.classic.iter().map(|c| (c.id.as_str(), c.security_groups.len()));
        let resources = p.vpcs.iter().flat_map(|v| &v.resources).map(|r| (r.id.as_str(), r.security_groups.len()));
        classic.chain(resources).collect()
    }
    let mut was: HashMap<&str, usize> = fx_map(before.classic.len());
    was.extend(groups_of(before));
    let lost: Vec<&str> =
        groups_of(after).into_iter().filter(|(id, n)| was.get(id).is_some_and(|m| m > n)).map(|(id, _)| id).collect();
    let lost_group = lost.len();
    match lost.as_slice() {
        [] => {}
        [one] => out.push_str(&format!("; {one} loses a security group (one left with none is unfiltered by them)")),
        many => out.push_str(&format!(
            "; {} instances lose a security group ({}; one left with none is unfiltered by them)",
            many.len(),
            crate::domain::rules::id_list(many)
        )),
    }
    let had_acl: Vec<&str> =
        before.vpcs.iter().flat_map(|v| &v.subnets).filter(|s| s.acl.is_some()).map(|s| s.id.as_str()).collect();
    let lost_acl = after
        .vpcs
        .iter()
        .flat_map(|v| &v.subnets)
        .filter(|s| s.acl.is_none() && had_acl.contains(&s.id.as_str()))
        .count();
    match lost_acl {
        0 => {}
        1 => out.push_str("; 1 subnet loses its network ACL and is now unfiltered by one"),
        n => out.push_str(&format!("; {n} subnets lose their network ACL and are now unfiltered by one")),
    }
    // Rules of other groups that named a deleted group as their peer: what they matched meets the rules after them.
    if lost_rules > 0 {
        out.push_str("; the traffic those rules matched falls to the rules after them");
    }
    (out, lost_group + lost_acl + lost_rules > 0)
}

/// How many rules the security groups still in `after` (other than `deleted`) lost since `before`: those that named
/// a deleted group as their peer.
fn rules_lost(before: &Plan, after: &Plan, deleted: &str) -> usize {
    let count = |p: &Plan| -> usize {
        let kept = p.security_groups.iter().filter(|g| g.id != deleted && after.security_group(&g.id).is_some());
        kept.map(|g| g.ingress.len() + g.egress.len()).sum()
    };
    count(before).saturating_sub(count(after))
}

/// How an answer names the traffic asked about: the core's words for a question, else the protocol and port as typed.
fn traffic_label(asked: &Result<(Protocol, u16), String>, protocol: &str, port: &str) -> String {
    match asked {
        Ok((proto, p)) => crate::domain::reach::traffic(*proto, *p),
        Err(_) => format!("{} {}", protocol.trim(), port.trim()),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tools_tests;
