use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{CopyButton, SelectField, TextAreaField};
use crate::domain::disagreement::Disagreement;
use crate::domain::documents::{ACCEPTED, DOCUMENTS_FIELD, DocumentEntry, DocumentsRefusal, size_label_in};
use crate::domain::form::{
    AppealForm, DisagreementForm, GROUNDS_FIELD, NO_STATE, REPLY_FIELD, ReplyForm, STATE_FIELD, STATEMENT_FIELD,
    WITHDRAW_FIELD, WithdrawForm,
};
use crate::domain::format::long_date_in;
use crate::domain::tracking::{AppealStanding, OptOutStanding};
use crate::domain::workflow::{self, CustomerStep};
use crate::domain::{FormState, Language, RequestStatus, SiteInfo, TrackingView};
use crate::services::load_tracking;
use crate::shell::language;
use crate::text::tracking;

use super::set_status;

/// Stands in for a text's `{hole}`: where the page puts a link or emphasis
/// of its own, so that each language keeps its own word order around it.
const HOLE: &str = "\u{1}";

/// The text before a `{hole}` and after it.
fn around(text: String) -> (String, String) {
    match text.split_once(HOLE) {
        Some((before, after)) => (before.to_owned(), after.to_owned()),
        None => (text, String::new()),
    }
}

#[component]
pub fn TrackingPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let data = Resource::new(token, load_tracking);
    let lang = language();
    let just_sent = move || query.read().get("new").is_some();
    // The receipt's copy buttons are drawn once the request has loaded,
    // after the page's script is decided: the page says so now.
    if query.read_untracked().get("new").is_some() {
        crate::shell::runs_in_browser();
    }
    let resend = move || query.read().get("resend");
    let revoke = move || query.read().get("revoke");
    let replied = move || query.read().get("reply").is_some();
    let withdrawn = move || query.read().get("withdrawn").is_some();
    let confirm = move || query.read().get("confirm");
    let documents_sent = move || query.read().get("documents").is_some();
    let answered = move || {
        let query = query.read();
        query
            .get("statement")
            .map(|_| "statement")
            .or(query.get("disclosures").filter(|answer| answer == "recorded").map(|_| "disclosures"))
    };

    view! {
        <Title text=tracking::title(lang)/>
        <div class="wrap narrow">
            <Suspense fallback=move || view! { <p>{tracking::loading(lang)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(Some(view)) if view.purged_on.is_some() => view! { <PurgedRequest view lang/> }.into_any(),
                        Ok(Some(view)) => {
                            view! { <TrackingDetails view lang token=token() just_sent=just_sent() resend=resend() revoke=revoke() replied=replied() withdrawn=withdrawn() confirm=confirm() answered=answered() documents_sent=documents_sent()/> }
                                .into_any()
                        }
                        Ok(None) => {
                            set_status(404);
                            view! { <UnknownLink lang/> }.into_any()
                        }
                        Err(error) => {
                            set_status(503);
                            let incident = match error {
                                ServerFnError::ServerError(reference) => reference,
                                _ => String::new(),
                            };
                            view! { <Unavailable incident lang/> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn TrackingDetails(
    view: TrackingView,
    lang: Language,
    token: String,
    just_sent: bool,
    resend: Option<String>,
    revoke: Option<String>,
    replied: bool,
    withdrawn: bool,
    confirm: Option<String>,
    answered: Option<&'static str>,
    documents_sent: bool,
) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let link = site.tracking_url(&token);
    let may_reply = workflow::customer_next(view.status, CustomerStep::Reply).is_some();
    let may_withdraw = workflow::customer_next(view.status, CustomerStep::Withdraw).is_some();
    // An applied opt-out is finished: it is undone through the register.
    let opt_out_applied = view.opt_out.as_ref().is_some_and(OptOutStanding::may_revoke);
    let open = view.status.is_open();
    let unverified = view.status == RequestStatus::Unverified;
    let agent_made = view.agent.is_some();
    let (made_by, as_agent) = around(tracking::agent_made_by(lang, HOLE));
    let (check, checked) = around(tracking::agent_check(lang, HOLE));
    let (undo, undone) = around(tracking::opt_out_applied(lang, HOLE));
    let (reference_is, reference_end) = around(tracking::receipt_reference_is(lang, HOLE));
    view! {
        {unverified.then(|| view! {
            <div class="notice" id="verify-notice">
                {match agent_made {
                    false => view! {
                        <h2>{tracking::verify_heading(lang)}</h2>
                        <p>{tracking::verify_body(lang)}</p>
                    }.into_any(),
                    true => view! {
                        <h2>{tracking::verify_agent_heading(lang)}</h2>
                        <p>{tracking::verify_agent_body(lang)}</p>
                    }.into_any(),
                }}
                {match resend.as_deref() {
                    Some("sent") => Some(view! { <p role="status"><strong>{tracking::verify_resent(lang)}</strong></p> }.into_any()),
                    Some("wait") => Some(view! { <p role="status"><strong>{tracking::wait(lang)}</strong></p> }.into_any()),
                    _ => None,
                }}
                <form method="post" action=format!("/track/{token}/resend")>
                    <button type="submit" class="button secondary">{tracking::verify_button(lang)}</button>
                </form>
            </div>
        })}
        {just_sent.then(|| view! {
            <div class="panel success" role="status">
                <h1>{tracking::receipt_heading(lang)}</h1>
                <p class="reference-line">
                    {reference_is} <strong class="reference">{view.reference.to_string()}</strong> {reference_end}
                    " " <CopyButton text=view.reference.to_string() what=tracking::receipt_copy_reference(lang) lang/>
                </p>
                <p>{tracking::receipt_keep_link(lang)}</p>
                <label class="link-label" for="tracking-link">{tracking::receipt_link(lang)}</label>
                <div class="copy-row">
                    <input id="tracking-link" class="w-full" readonly value=link.clone()/>
                    <CopyButton text=link.clone() what=tracking::receipt_copy_link(lang) lang/>
                </div>
            </div>
        })}
        <h1 class:visually-hidden=just_sent>{tracking::title(lang)}</h1>
        <dl class="facts">
            <div><dt>{tracking::facts_reference(lang)}</dt><dd class="reference">{view.reference.to_string()}</dd></div>
            <div><dt>{tracking::facts_request(lang)}</dt><dd>{view.kind.label_in(lang)}</dd></div>
            <div><dt>{tracking::facts_asked(lang)}</dt><dd>{view.asked.summary(lang)}</dd></div>
            <div><dt>{tracking::facts_status(lang)}</dt><dd><span class="status" class:open=open>{view.status.label_in(lang)}</span></dd></div>
            <div><dt>{tracking::facts_received(lang)}</dt><dd>{long_date_in(view.received_on, lang)}</dd></div>
            <div><dt>{tracking::facts_updated(lang)}</dt><dd>{long_date_in(view.updated_on, lang)}</dd></div>
            {view.answer_by.map(|day| view! {
                <div><dt>{tracking::facts_answer_by(lang)}</dt><dd id="answer-by">{long_date_in(day, lang)}</dd></div>
            })}
        </dl>
        {view.agent.map(|(name, verified)| view! {
            <div class="notice" id="agent-notice">
                <p>{made_by} <strong>{name}</strong> {as_agent}</p>
                {(!verified && open).then(|| view! {
                    <p>{check} <a href="#documents">{tracking::agent_check_link(lang)}</a> {checked}</p>
                })}
            </div>
        })}
        {view.opt_out.map(|opt_out| view! { <OptOutState opt_out lang token=token.clone() revoke/> })}
        {withdrawn.then(|| view! {
            <p class="notice" role="status" id="withdrawn-notice"><strong>{tracking::withdrawn_notice(lang)}</strong></p>
        })}
        {match confirm.as_deref() {
            Some("sent") => Some(view! {
                <p class="notice" role="status" id="confirm-notice"><strong>{tracking::confirm_sent(lang)}</strong></p>
            }.into_any()),
            Some("wait") => Some(view! {
                <p class="notice" role="status" id="confirm-notice"><strong>{tracking::confirm_wait(lang)}</strong></p>
            }.into_any()),
            _ => None,
        }}
        {view.appeal.map(|appeal| view! { <AppealBox appeal lang token=token.clone()/> })}
        {view.disagreement.map(|disagreement| view! { <DisagreementBox disagreement lang token=token.clone() answered/> })}
        {may_reply.then(|| view! { <ReplyBox lang token=token.clone() replied/> })}
        {(open || !view.documents.is_empty()).then(|| view! { <DocumentsBox documents=view.documents.clone() lang token=token.clone() open sent=documents_sent/> })}
        {may_withdraw.then(|| view! { <WithdrawBox lang token=token.clone()/> })}
        {opt_out_applied.then(|| view! {
            <p class="note" id="withdraw-opt-out">
                {undo} <a href="#revoke-opt-out">{tracking::opt_out_revoke(lang)}</a> {undone}
            </p>
        })}
        <h2>{tracking::history(lang)}</h2>
        <ol class="timeline">
            {view.timeline.into_iter().rev().map(|entry| view! {
                <li>
                    <time datetime=entry.at.to_rfc3339()>{long_date_in(entry.on, lang)}</time>
                    <p class="timeline-title">{entry.kind.customer_title(lang)}</p>
                    {entry.body.map(|body| view! { <p class="timeline-body">{body}</p> })}
                </li>
            }).collect_view()}
        </ol>
        <p class="note">{tracking::questions(lang, &site.privacy_phone)}</p>
    }
}

/// Where the customer's opt-out stands, that a privacy signal sent with it
/// was honoured, and the way to revoke it.
#[component]
fn OptOutState(opt_out: OptOutStanding, lang: Language, token: String, revoke: Option<String>) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let may_revoke = opt_out.may_revoke();
    let by_post = opt_out.stands() && opt_out.by_post;
    let (call, write) = around(tracking::opt_out_by_post(lang, HOLE, &site.org_address));
    view! {
        {by_post.then(|| view! {
            <p class="notice" id="revoke-by-post">
                {call} <a href=format!("tel:{}", site.opt_out_phone)>{site.opt_out_phone.clone()}</a> {write}
            </p>
        })}
        {opt_out.gpc.then(|| view! {
            <div class="notice" role="status" id="gpc-honored">
                <p><strong>{tracking::opt_out_gpc_heading(lang)}</strong></p>
                <p>{tracking::opt_out_gpc_body(lang)}</p>
            </div>
        })}
        {opt_out.revoked_on.map(|day| view! {
            <p class="notice" id="opt-out-revoked">{tracking::opt_out_revoked_on(lang, &long_date_in(day, lang))}</p>
        })}
        {may_revoke.then(|| view! {
            <section class="panel" id="revoke-opt-out" aria-labelledby="revoke-heading">
                <h2 id="revoke-heading">{tracking::opt_out_revoke(lang)}</h2>
                <p>{tracking::opt_out_revoke_body(lang)}</p>
                {match revoke.as_deref() {
                    Some("sent") => Some(view! { <p role="status"><strong>{tracking::opt_out_revoke_sent(lang)}</strong></p> }.into_any()),
                    Some("wait") => Some(view! { <p role="status"><strong>{tracking::wait(lang)}</strong></p> }.into_any()),
                    _ => None,
                }}
                <form method="post" action=format!("/track/{token}/revoke-opt-out")>
                    <button type="submit" class="button secondary">{tracking::opt_out_revoke(lang)}</button>
                </form>
            </section>
        })}
    }
}

/// The customer's answer to a message or a request for information from
/// staff. A refused reply comes back here with what was typed and why.
#[component]
fn ReplyBox(lang: Language, token: String, replied: bool) -> impl IntoView {
    let state = use_context::<FormState<ReplyForm>>().unwrap_or_default();
    let error = state.errors.get(REPLY_FIELD).map(str::to_owned);
    view! {
        <section class="panel" id="reply" aria-labelledby="reply-heading">
            <h2 id="reply-heading">{tracking::reply_heading(lang)}</h2>
            <p>{tracking::reply_intro(lang)}</p>
            {replied.then(|| view! { <p role="status" id="reply-sent"><strong>{tracking::reply_sent(lang)}</strong></p> })}
            <form method="post" action=format!("/track/{token}/reply") novalidate>
                <TextAreaField id="f-reply" name=REPLY_FIELD label=tracking::reply_label(lang) value=state.values.message.clone() required=true error/>
                <div class="actions">
                    <button type="submit" class="button">{tracking::reply_button(lang)}</button>
                </div>
            </form>
        </section>
    }
}

/// After a refusal, where a law gives an appeal: the appeal form, or the
/// appeal filed, which has its own reference and private link.
#[component]
fn AppealBox(appeal: AppealStanding, lang: Language, token: String) -> impl IntoView {
    let state = use_context::<FormState<AppealForm>>().unwrap_or_default();
    let body = match appeal {
        AppealStanding::Filed { reference, status, filed_on, due_on } => {
            let filed = tracking::appeal_filed(lang, &long_date_in(filed_on, lang), HOLE, status.label_in(lang));
            let (filed, filed_end) = around(filed);
            view! {
                // An appeal sent again (from another tab, say) is refused here.
                {state.errors.get(GROUNDS_FIELD).map(|message| view! {
                    <p class="error" id="f-grounds-error" role="alert">{message.to_owned()}</p>
                })}
                <p id="appeal-filed">{filed} <strong class="reference">{reference.to_string()}</strong> {filed_end}</p>
                {due_on.filter(|_| status.is_open()).map(|day| {
                    let (due, due_end) = around(tracking::appeal_due(lang, HOLE));
                    view! { <p>{due} <strong>{long_date_in(day, lang)}</strong> {due_end}</p> }
                })}
                <p class="hint">{tracking::appeal_follow(lang)}</p>
            }
            .into_any()
        }
        AppealStanding::Open { states } => {
            let chosen = if state.values.state.is_empty() { NO_STATE.to_owned() } else { state.values.state.clone() };
            let another = tracking::appeal_another_state(lang).to_owned();
            let options = states
                .into_iter()
                .map(|(regime, name)| (regime.as_str().to_owned(), name))
                .chain(std::iter::once((NO_STATE.to_owned(), another)))
                .collect();
            let state_error = state.errors.get(STATE_FIELD).map(|message| {
                view! { <p class="error" id="f-state-error"><span class="visually-hidden">{tracking::error_prefix(lang)}</span>{message.to_owned()}</p> }
            });
            let error = state.errors.get(GROUNDS_FIELD).map(str::to_owned);
            view! {
                <p>{tracking::appeal_intro(lang)}</p>
                <form method="post" action=format!("/track/{token}/appeal") novalidate>
                    <SelectField
                        id="f-state"
                        name=STATE_FIELD
                        label=tracking::appeal_state(lang)
                        hint=tracking::appeal_state_hint(lang)
                        options
                        selected=chosen
                    />
                    {state_error}
                    <TextAreaField id="f-grounds" name=GROUNDS_FIELD label=tracking::appeal_grounds(lang) value=state.values.grounds.clone() required=true error/>
                    <div class="actions">
                        <button type="submit" class="button">{tracking::appeal_button(lang)}</button>
                    </div>
                </form>
            }
            .into_any()
        }
    };
    view! {
        <section class="panel" id="appeal" aria-labelledby="appeal-heading">
            <h2 id="appeal-heading">{tracking::appeal_heading(lang)}</h2>
            {body}
        </section>
    }
}

/// After a denial: the customer's statement of disagreement, or instead
/// their wish that the request and the denial go with any future
/// disclosure; once given, what they gave and any rebuttal.
#[component]
fn DisagreementBox(
    disagreement: Disagreement,
    lang: Language,
    token: String,
    answered: Option<&'static str>,
) -> impl IntoView {
    let state = use_context::<FormState<DisagreementForm>>().unwrap_or_default();
    let error = state.errors.get(STATEMENT_FIELD).map(str::to_owned);
    let may_state = disagreement.open_to(CustomerStep::StateDisagreement);
    let may_ask = disagreement.open_to(CustomerStep::AskDenialWithDisclosures);
    let limit = disagreement.limit.as_ref().map(|limit| tracking::disagreement_limit(lang, &limit.words.to_string()));
    view! {
        <section class="panel" id="disagreement" aria-labelledby="disagreement-heading">
            <h2 id="disagreement-heading">{tracking::disagreement_heading(lang)}</h2>
            {match answered {
                Some("statement") => Some(view! { <p role="status" id="statement-sent"><strong>{tracking::disagreement_statement_sent(lang)}</strong></p> }.into_any()),
                Some(_) => Some(view! { <p role="status" id="disclosures-recorded"><strong>{tracking::disagreement_disclosures_recorded(lang)}</strong></p> }.into_any()),
                None => None,
            }}
            {disagreement.statement.map(|statement| view! {
                <h3>{tracking::disagreement_statement(lang)}</h3>
                <p class="timeline-body" id="your-statement">{statement}</p>
            })}
            {disagreement.rebuttal.map(|rebuttal| view! {
                <h3>{tracking::disagreement_response(lang)}</h3>
                <p class="timeline-body" id="our-rebuttal">{rebuttal}</p>
            })}
            {disagreement.with_disclosures.then(|| view! {
                <p id="with-disclosures">{tracking::disagreement_with_disclosures(lang)}</p>
            })}
            {may_state.then(|| view! {
                <p>{tracking::disagreement_may_state(lang)}</p>
                {limit.map(|limit| view! { <p class="hint" id="statement-limit">{limit}</p> })}
                <form method="post" action=format!("/track/{token}/disagree") novalidate>
                    <TextAreaField id="f-statement" name=STATEMENT_FIELD label=tracking::disagreement_statement(lang) value=state.values.statement.clone() required=true error/>
                    <div class="actions">
                        <button type="submit" class="button">{tracking::disagreement_button(lang)}</button>
                    </div>
                </form>
            })}
            {may_ask.then(|| view! {
                <p>{tracking::disagreement_may_ask(lang)}</p>
                <form method="post" action=format!("/track/{token}/denial-with-disclosures")>
                    <button type="submit" class="button secondary">{tracking::disagreement_ask_button(lang)}</button>
                </form>
            })}
        </section>
    }
}

/// With a script, the documents form is sent in the background so that a
/// bar shows how much of a large scan has gone; the page it leads to is
/// the one the plain form leads to, and a refusal replaces the documents
/// section (or, for a page without one, the page's content) with the one
/// the server sent back. A failed connection says so, in the words the
/// form carries in the page's language, and sends nothing twice; the
/// button waits while a sending is under way. A few lines of plain script
/// rather than an island: the tracking page downloads no WebAssembly for
/// this.
const UPLOAD_PROGRESS: &str = r#"(function () {
  function bind() {
    var form = document.getElementById('documents-form'), bar = document.getElementById('documents-progress');
    if (!form || !bar || !window.FormData || !window.DOMParser) return;
    var button = form.querySelector('button[type=submit]');
    form.addEventListener('submit', function (event) {
      var request = new XMLHttpRequest();
      event.preventDefault();
      if (button.disabled) return;
      button.disabled = true;
      request.open('POST', form.action);
      bar.hidden = false;
      request.upload.onprogress = function (sent) {
        if (sent.lengthComputable) bar.value = sent.loaded / sent.total;
      };
      request.onload = function () {
        if (request.status < 400 && request.responseURL) {
          location.assign(request.responseURL + '#documents');
          return;
        }
        var answer = new DOMParser().parseFromString(request.responseText, 'text/html');
        var part = answer.getElementById('documents') ? 'documents' : 'content';
        var here = document.getElementById(part), there = answer.getElementById(part);
        if (!here || !there) { there = answer.body; here = document.getElementById('content'); }
        there.querySelectorAll('script').forEach(function (script) { script.remove(); });
        here.replaceWith(there);
        document.title = answer.title || document.title;
        bind();
        var focus = document.getElementById('f-documents') || document.getElementById('content');
        if (focus) focus.focus();
      };
      request.onerror = function () {
        bar.hidden = true;
        button.disabled = false;
        var said = document.getElementById('documents-unsent') || document.createElement('p');
        said.id = 'documents-unsent';
        said.className = 'error';
        said.setAttribute('role', 'alert');
        said.textContent = form.dataset.unsent;
        form.appendChild(said);
      };
      request.send(new FormData(form));
    });
  }
  bind();
})();"#;

/// Supporting documents: what the customer sent, and while the request is
/// open a plain multipart form to send more. A refused sending comes back
/// here with why beside the field.
#[component]
fn DocumentsBox(documents: Vec<DocumentEntry>, lang: Language, token: String, open: bool, sent: bool) -> impl IntoView {
    let refusal = use_context::<DocumentsRefusal>();
    let error = refusal.map(|refusal| refusal.message);
    let has_error = error.is_some();
    let described = has_error.then_some("f-documents-error");
    view! {
        <section class="panel" id="documents" aria-labelledby="documents-heading">
            <h2 id="documents-heading">{tracking::documents_heading(lang)}</h2>
            {sent.then(|| view! { <p role="status" id="documents-sent"><strong>{tracking::documents_sent(lang)}</strong></p> })}
            {(!documents.is_empty()).then(|| view! {
                <h3>{tracking::documents_listed(lang)}</h3>
                <ul class="documents" id="documents-list">
                    {documents.into_iter().map(|document| view! {
                        <li>
                            <span class="document-name">{document.name}</span>
                            " (" {size_label_in(document.size, lang)} ", " {long_date_in(document.received_on, lang)} ")"
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {open.then(|| view! {
                <p>{tracking::documents_intro(lang)}</p>
                <form method="post" action=format!("/track/{token}/documents") enctype="multipart/form-data" id="documents-form"
                    data-unsent=tracking::documents_unsent(lang)>
                    <div class="field" class:has-error=has_error>
                        <label for="f-documents">{tracking::documents_label(lang)}</label>
                        <input id="f-documents" type="file" name=DOCUMENTS_FIELD accept=ACCEPTED multiple=true
                            aria-describedby=described/>
                        {error.map(|error| view! { <p class="error" id="f-documents-error">{error}</p> })}
                    </div>
                    <div class="actions">
                        <button type="submit" class="button">{tracking::documents_button(lang)}</button>
                    </div>
                    <progress id="documents-progress" max="1" value="0" hidden aria-label=tracking::documents_progress(lang)></progress>
                </form>
                <script nonce=use_nonce()>{UPLOAD_PROGRESS}</script>
            })}
        </section>
    }
}

/// Withdrawing a request not yet finished, with an optional reason.
#[component]
fn WithdrawBox(lang: Language, token: String) -> impl IntoView {
    let state = use_context::<FormState<WithdrawForm>>().unwrap_or_default();
    let error = state.errors.get(WITHDRAW_FIELD).map(str::to_owned);
    view! {
        <section class="panel" id="withdraw" aria-labelledby="withdraw-heading">
            <h2 id="withdraw-heading">{tracking::withdraw_heading(lang)}</h2>
            <p>{tracking::withdraw_intro(lang)}</p>
            <form method="post" action=format!("/track/{token}/withdraw") novalidate>
                <TextAreaField id="f-withdraw-reason" name=WITHDRAW_FIELD label=tracking::withdraw_label(lang) value=state.values.reason.clone() error/>
                <div class="actions">
                    <button type="submit" class="button secondary">{tracking::withdraw_button(lang)}</button>
                </div>
            </form>
        </section>
    }
}

/// A request whose retention ended: what is left, and why, calmly.
#[component]
fn PurgedRequest(view: TrackingView, lang: Language) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let reference = view.reference.to_string();
    view! {
        <h1>{tracking::purged_heading(lang)}</h1>
        <div class="notice" id="purged-notice">
            <p>
                {tracking::purged_kept_only(lang)} " "
                {view.purged_on.map(|day| tracking::purged_removed(lang, &reference, &long_date_in(day, lang)))}
            </p>
            <p>{tracking::purged_what_is_kept(lang)}</p>
        </div>
        <dl class="facts">
            <div><dt>{tracking::facts_reference(lang)}</dt><dd class="reference">{reference.clone()}</dd></div>
            <div><dt>{tracking::facts_request(lang)}</dt><dd>{view.kind.label_in(lang)}</dd></div>
            <div><dt>{tracking::facts_status(lang)}</dt><dd><span class="status">{view.status.label_in(lang)}</span></dd></div>
            <div><dt>{tracking::facts_received(lang)}</dt><dd>{long_date_in(view.received_on, lang)}</dd></div>
        </dl>
        <p class="note">{tracking::questions(lang, &site.privacy_phone)}</p>
    }
}

#[component]
fn UnknownLink(lang: Language) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    view! {
        <h1>{tracking::unknown_heading(lang)}</h1>
        <p>{tracking::unknown_check(lang)}</p>
        <p>{tracking::unknown_still(lang, &site.privacy_phone)}</p>
    }
}

#[component]
fn Unavailable(incident: String, lang: Language) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let (call, call_end) = around(tracking::unavailable_incident(lang, &site.privacy_phone, HOLE));
    view! {
        <h1>{tracking::unavailable_heading(lang)}</h1>
        <p>{tracking::unavailable_body(lang)}</p>
        {(!incident.is_empty()).then(|| view! {
            <p>{call} <strong>{incident}</strong> {call_end}</p>
        })}
    }
}
