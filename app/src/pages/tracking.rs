use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{CopyButton, SelectField, TextAreaField};
use crate::domain::disagreement::Disagreement;
use crate::domain::documents::{ACCEPTED, DOCUMENTS_FIELD, DocumentEntry, DocumentsRefusal, size_label};
use crate::domain::form::{
    AppealForm, DisagreementForm, GROUNDS_FIELD, NO_STATE, REPLY_FIELD, ReplyForm, STATE_FIELD, STATEMENT_FIELD,
    WITHDRAW_FIELD, WithdrawForm,
};
use crate::domain::format::long_date;
use crate::domain::tracking::{AppealStanding, OptOutStanding};
use crate::domain::workflow::{self, CustomerStep};
use crate::domain::{FormState, RequestStatus, SiteInfo, TrackingView};
use crate::services::load_tracking;

use super::set_status;

#[component]
pub fn TrackingPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let data = Resource::new(token, load_tracking);
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
        <Title text="Your request"/>
        <div class="wrap narrow">
            <Suspense fallback=|| view! { <p>"Loading your request…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(Some(view)) if view.purged_on.is_some() => view! { <PurgedRequest view/> }.into_any(),
                        Ok(Some(view)) => {
                            view! { <TrackingDetails view token=token() just_sent=just_sent() resend=resend() revoke=revoke() replied=replied() withdrawn=withdrawn() confirm=confirm() answered=answered() documents_sent=documents_sent()/> }
                                .into_any()
                        }
                        Ok(None) => {
                            set_status(404);
                            view! { <UnknownLink/> }.into_any()
                        }
                        Err(error) => {
                            set_status(503);
                            let incident = match error {
                                ServerFnError::ServerError(reference) => reference,
                                _ => String::new(),
                            };
                            view! { <Unavailable incident/> }.into_any()
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
    view! {
        {unverified.then(|| view! {
            <div class="notice" id="verify-notice">
                {match agent_made {
                    false => view! {
                        <h2>"Please confirm your email address"</h2>
                        <p>
                            "We have sent you an email with a link to confirm your address. "
                            "We start work on your request once it is confirmed."
                        </p>
                    }.into_any(),
                    true => view! {
                        <h2>"Waiting for confirmation"</h2>
                        <p>
                            "We have emailed a link to confirm this request: to the person it is about, who confirms "
                            "that their agent may act for them, or, for a power of attorney, to the agent. "
                            "We start work once it is followed."
                        </p>
                    }.into_any(),
                }}
                {match resend.as_deref() {
                    Some("sent") => Some(view! { <p role="status"><strong>"We have sent you a new confirmation email."</strong></p> }.into_any()),
                    Some("wait") => Some(view! { <p role="status"><strong>"We sent one moments ago. Please check your inbox and spam folder, or try again in a few minutes."</strong></p> }.into_any()),
                    _ => None,
                }}
                <form method="post" action=format!("/track/{token}/resend")>
                    <button type="submit" class="button secondary">"Send me a new confirmation email"</button>
                </form>
            </div>
        })}
        {just_sent.then(|| view! {
            <div class="panel success" role="status">
                <h1>"Request received"</h1>
                <p class="reference-line">
                    "Your reference number is " <strong class="reference">{view.reference.to_string()}</strong>
                    " " <CopyButton text=view.reference.to_string() what="your reference number"/>
                </p>
                <p>
                    "Keep this page's address: it is your private link to follow your request. "
                    "Anyone with the link can see the request's progress, so do not share it."
                </p>
                <label class="link-label" for="tracking-link">"Your private link"</label>
                <div class="copy-row">
                    <input id="tracking-link" class="w-full" readonly value=link.clone()/>
                    <CopyButton text=link.clone() what="your private link"/>
                </div>
            </div>
        })}
        <h1 class:visually-hidden=just_sent>"Your request"</h1>
        <dl class="facts">
            <div><dt>"Reference"</dt><dd class="reference">{view.reference.to_string()}</dd></div>
            <div><dt>"Request"</dt><dd>{view.kind.label()}</dd></div>
            <div><dt>"What you asked"</dt><dd>{view.summary}</dd></div>
            <div><dt>"Status"</dt><dd><span class="status" class:open=open>{view.status.label()}</span></dd></div>
            <div><dt>"Received"</dt><dd>{long_date(view.received_on)}</dd></div>
            <div><dt>"Last update"</dt><dd>{long_date(view.updated_on)}</dd></div>
            {view.answer_by.map(|day| view! {
                <div><dt>"We will answer by"</dt><dd id="answer-by">{long_date(day)}</dd></div>
            })}
        </dl>
        {view.agent.map(|(name, verified)| view! {
            <div class="notice" id="agent-notice">
                <p>"This request was made by " <strong>{name}</strong> " as authorised agent. We send them a copy of each letter about it."</p>
                {(!verified && open).then(|| view! {
                    <p>
                        "Before we start work we check the agent's signed permission or power of attorney, "
                        "which the agent sends under " <a href="#documents">"“Send us documents”"</a> "."
                    </p>
                })}
            </div>
        })}
        {view.opt_out.map(|opt_out| view! { <OptOutState opt_out token=token.clone() revoke/> })}
        {withdrawn.then(|| view! {
            <p class="notice" role="status" id="withdrawn-notice"><strong>"Your request is withdrawn. We have emailed you to confirm."</strong></p>
        })}
        {match confirm.as_deref() {
            Some("sent") => Some(view! {
                <p class="notice" role="status" id="confirm-notice"><strong>
                    "This private link is older, so we have emailed you a link to confirm first. Nothing changes until you follow it."
                </strong></p>
            }.into_any()),
            Some("wait") => Some(view! {
                <p class="notice" role="status" id="confirm-notice"><strong>
                    "We sent you a link to confirm moments ago. Please check your inbox and spam folder, or try again in a few minutes."
                </strong></p>
            }.into_any()),
            _ => None,
        }}
        {view.appeal.map(|appeal| view! { <AppealBox appeal token=token.clone()/> })}
        {view.disagreement.map(|disagreement| view! { <DisagreementBox disagreement token=token.clone() answered/> })}
        {may_reply.then(|| view! { <ReplyBox token=token.clone() replied/> })}
        {(open || !view.documents.is_empty()).then(|| view! { <DocumentsBox documents=view.documents.clone() token=token.clone() open sent=documents_sent/> })}
        {may_withdraw.then(|| view! { <WithdrawBox token=token.clone()/> })}
        {opt_out_applied.then(|| view! {
            <p class="note" id="withdraw-opt-out">
                "Your opt-out has taken effect, so it can no longer be withdrawn. To undo it, use "
                <a href="#revoke-opt-out">"Revoke my opt-out"</a> "."
            </p>
        })}
        <h2>"What has happened so far"</h2>
        <ol class="timeline">
            {view.timeline.into_iter().rev().map(|entry| view! {
                <li>
                    <time datetime=entry.at.to_rfc3339()>{long_date(entry.on)}</time>
                    <p class="timeline-title">{entry.title}</p>
                    {entry.body.map(|body| view! { <p class="timeline-body">{body}</p> })}
                </li>
            }).collect_view()}
        </ol>
        <p class="note">
            "Questions? Call " {site.privacy_phone} " and quote your reference number."
        </p>
    }
}

/// Where the customer's opt-out stands, that a privacy signal sent with it
/// was honoured, and the way to revoke it.
#[component]
fn OptOutState(opt_out: OptOutStanding, token: String, revoke: Option<String>) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let may_revoke = opt_out.may_revoke();
    let by_post = opt_out.stands() && opt_out.by_post;
    view! {
        {by_post.then(|| view! {
            <p class="notice" id="revoke-by-post">
                "Your opt-out stands until you tell us otherwise. To revoke it, call us toll-free on "
                <a href=format!("tel:{}", site.opt_out_phone)>{site.opt_out_phone.clone()}</a>
                " or write to us at " {site.org_address.clone()} "."
            </p>
        })}
        {opt_out.gpc.then(|| view! {
            <div class="notice" role="status" id="gpc-honored">
                <p><strong>"Opt-out request honored"</strong></p>
                <p>"Your browser's Global Privacy Control signal came with this request, and we honor it."</p>
            </div>
        })}
        {opt_out.revoked_on.map(|day| view! {
            <p class="notice" id="opt-out-revoked">"Your opt-out was revoked on " {long_date(day)} "."</p>
        })}
        {may_revoke.then(|| view! {
            <section class="panel" id="revoke-opt-out" aria-labelledby="revoke-heading">
                <h2 id="revoke-heading">"Revoke my opt-out"</h2>
                <p>
                    "Your opt-out stands until you tell us otherwise. If you revoke it, we may again share "
                    "information about you as our privacy notice describes. We email you first to confirm "
                    "that it is really you; nothing changes until you follow the link in that email."
                </p>
                {match revoke.as_deref() {
                    Some("sent") => Some(view! { <p role="status"><strong>"We have emailed you a link to confirm. Nothing changes until you follow it."</strong></p> }.into_any()),
                    Some("wait") => Some(view! { <p role="status"><strong>"We sent one moments ago. Please check your inbox and spam folder, or try again in a few minutes."</strong></p> }.into_any()),
                    _ => None,
                }}
                <form method="post" action=format!("/track/{token}/revoke-opt-out")>
                    <button type="submit" class="button secondary">"Revoke my opt-out"</button>
                </form>
            </section>
        })}
    }
}

/// The customer's answer to a message or a request for information from
/// staff. A refused reply comes back here with what was typed and why.
#[component]
fn ReplyBox(token: String, replied: bool) -> impl IntoView {
    let state = use_context::<FormState<ReplyForm>>().unwrap_or_default();
    let error = state.errors.get(REPLY_FIELD).map(str::to_owned);
    view! {
        <section class="panel" id="reply" aria-labelledby="reply-heading">
            <h2 id="reply-heading">"Reply to us"</h2>
            <p>"Answer a message or a question from our privacy team. We add your reply to your request and tell the person handling it."</p>
            {replied.then(|| view! { <p role="status" id="reply-sent"><strong>"Thank you: we have your reply."</strong></p> })}
            <form method="post" action=format!("/track/{token}/reply") novalidate>
                <TextAreaField id="f-reply" name=REPLY_FIELD label="Your reply" value=state.values.message.clone() required=true error/>
                <div class="actions">
                    <button type="submit" class="button">"Send my reply"</button>
                </div>
            </form>
        </section>
    }
}

/// After a refusal, where a law gives an appeal: the appeal form, or the
/// appeal filed, which has its own reference and private link.
#[component]
fn AppealBox(appeal: AppealStanding, token: String) -> impl IntoView {
    let state = use_context::<FormState<AppealForm>>().unwrap_or_default();
    let body = match appeal {
        AppealStanding::Filed { reference, status, filed_on, due_on } => view! {
            // An appeal sent again (from another tab, say) is refused here.
            {state.errors.get(GROUNDS_FIELD).map(|message| view! {
                <p class="error" id="f-grounds-error" role="alert">{message.to_owned()}</p>
            })}
            <p id="appeal-filed">
                "You appealed this decision on " {long_date(filed_on)} ". Your appeal's reference is "
                <strong class="reference">{reference.to_string()}</strong> ", and its status is “" {status.label()} "”."
            </p>
            {due_on.filter(|_| status.is_open()).map(|day| view! {
                <p>"We will answer your appeal in writing by " <strong>{long_date(day)}</strong> "."</p>
            })}
            <p class="hint">"The email we sent when you appealed has the private link to follow it."</p>
        }
        .into_any(),
        AppealStanding::Open { states } => {
            let chosen = if state.values.state.is_empty() { NO_STATE.to_owned() } else { state.values.state.clone() };
            let options = states
                .into_iter()
                .map(|(regime, name)| (regime.as_str().to_owned(), name))
                .chain(std::iter::once((NO_STATE.to_owned(), "Another state".to_owned())))
                .collect();
            let state_error = state.errors.get(STATE_FIELD).map(|message| {
                view! { <p class="error" id="f-state-error"><span class="visually-hidden">"Error: "</span>{message.to_owned()}</p> }
            });
            let error = state.errors.get(GROUNDS_FIELD).map(str::to_owned);
            view! {
                <p>
                    "If you think our decision is wrong, you may appeal it. Someone who did not make the decision "
                    "will review it, and we will answer in writing. If we do not change our decision, we will tell "
                    "you how to complain to your state's Attorney General."
                </p>
                <form method="post" action=format!("/track/{token}/appeal") novalidate>
                    <SelectField
                        id="f-state"
                        name=STATE_FIELD
                        label="The state you live in"
                        hint="State laws give you this appeal; we name your state's Attorney General if we turn it down. Choose “Another state” if yours is not listed or you would rather not say."
                        options
                        selected=chosen
                    />
                    {state_error}
                    <TextAreaField id="f-grounds" name=GROUNDS_FIELD label="Why our decision is wrong" value=state.values.grounds.clone() required=true error/>
                    <div class="actions">
                        <button type="submit" class="button">"Send my appeal"</button>
                    </div>
                </form>
            }
            .into_any()
        }
    };
    view! {
        <section class="panel" id="appeal" aria-labelledby="appeal-heading">
            <h2 id="appeal-heading">"Appeal this decision"</h2>
            {body}
        </section>
    }
}

/// After a denial: the customer's statement of disagreement, or instead
/// their wish that the request and the denial go with any future
/// disclosure; once given, what they gave and any rebuttal.
#[component]
fn DisagreementBox(disagreement: Disagreement, token: String, answered: Option<&'static str>) -> impl IntoView {
    let state = use_context::<FormState<DisagreementForm>>().unwrap_or_default();
    let error = state.errors.get(STATEMENT_FIELD).map(str::to_owned);
    let may_state = disagreement.open_to(CustomerStep::StateDisagreement);
    let may_ask = disagreement.open_to(CustomerStep::AskDenialWithDisclosures);
    let limit = disagreement.limit.as_ref().map(|limit| format!("Please keep it to {} words or fewer.", limit.words));
    view! {
        <section class="panel" id="disagreement" aria-labelledby="disagreement-heading">
            <h2 id="disagreement-heading">"If you disagree with our decision"</h2>
            {match answered {
                Some("statement") => Some(view! { <p role="status" id="statement-sent"><strong>"Thank you: your statement is added to your records."</strong></p> }),
                Some(_) => Some(view! { <p role="status" id="disclosures-recorded"><strong>"Recorded: your request and our decision will go with any future disclosure."</strong></p> }),
                None => None,
            }}
            {disagreement.statement.map(|statement| view! {
                <h3>"Your statement of disagreement"</h3>
                <p class="timeline-body" id="your-statement">{statement}</p>
            })}
            {disagreement.rebuttal.map(|rebuttal| view! {
                <h3>"Our response to your statement"</h3>
                <p class="timeline-body" id="our-rebuttal">{rebuttal}</p>
            })}
            {disagreement.with_disclosures.then(|| view! {
                <p id="with-disclosures">"You asked that your request and our decision go with any future disclosure of the information."</p>
            })}
            {may_state.then(|| view! {
                <p>
                    "You may write a statement saying why you disagree. We add it to your records, and it goes with any "
                    "future disclosure of the information, together with our decision and any response we write to it."
                </p>
                {limit.map(|limit| view! { <p class="hint" id="statement-limit">{limit}</p> })}
                <form method="post" action=format!("/track/{token}/disagree") novalidate>
                    <TextAreaField id="f-statement" name=STATEMENT_FIELD label="Your statement of disagreement" value=state.values.statement.clone() required=true error/>
                    <div class="actions">
                        <button type="submit" class="button">"Send my statement"</button>
                    </div>
                </form>
            })}
            {may_ask.then(|| view! {
                <p>"If you do not want to write a statement, you may instead ask that your request and our decision go with any future disclosure of the information."</p>
                <form method="post" action=format!("/track/{token}/denial-with-disclosures")>
                    <button type="submit" class="button secondary">"Include my request and your decision with future disclosures"</button>
                </form>
            })}
        </section>
    }
}

/// With a script, the documents form is sent in the background so that a
/// bar shows how much of a large scan has gone; the page it leads to is
/// the one the plain form leads to, and a refusal replaces the documents
/// section (or, for a page without one, the page's content) with the one
/// the server sent back. A failed connection says so and sends nothing
/// twice; the button waits while a sending is under way. A few lines of plain script rather than
/// an island: the tracking page downloads no WebAssembly for this.
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
        said.textContent = 'Your documents could not be sent: the connection failed. Please try again.';
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
fn DocumentsBox(documents: Vec<DocumentEntry>, token: String, open: bool, sent: bool) -> impl IntoView {
    let refusal = use_context::<DocumentsRefusal>();
    let error = refusal.map(|refusal| refusal.message);
    let has_error = error.is_some();
    let described = has_error.then_some("f-documents-error");
    view! {
        <section class="panel" id="documents" aria-labelledby="documents-heading">
            <h2 id="documents-heading">"Send us documents"</h2>
            {sent.then(|| view! { <p role="status" id="documents-sent"><strong>"Thank you: we have your documents."</strong></p> })}
            {(!documents.is_empty()).then(|| view! {
                <h3>"What you sent"</h3>
                <ul class="documents" id="documents-list">
                    {documents.into_iter().map(|document| view! {
                        <li>
                            <span class="document-name">{document.name}</span>
                            " (" {size_label(document.size)} ", " {long_date(document.received_on)} ")"
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {open.then(|| view! {
                <p>"If we asked for a document, or one supports your request, you can send it here: PDF, JPEG or PNG files."</p>
                <form method="post" action=format!("/track/{token}/documents") enctype="multipart/form-data" id="documents-form">
                    <div class="field" class:has-error=has_error>
                        <label for="f-documents">"Your documents"</label>
                        <input id="f-documents" type="file" name=DOCUMENTS_FIELD accept=ACCEPTED multiple=true
                            aria-describedby=described/>
                        {error.map(|error| view! { <p class="error" id="f-documents-error">{error}</p> })}
                    </div>
                    <div class="actions">
                        <button type="submit" class="button">"Send my documents"</button>
                    </div>
                    <progress id="documents-progress" max="1" value="0" hidden aria-label="How much has been sent"></progress>
                </form>
                <script nonce=use_nonce()>{UPLOAD_PROGRESS}</script>
            })}
        </section>
    }
}

/// Withdrawing a request not yet finished, with an optional reason.
#[component]
fn WithdrawBox(token: String) -> impl IntoView {
    let state = use_context::<FormState<WithdrawForm>>().unwrap_or_default();
    let error = state.errors.get(WITHDRAW_FIELD).map(str::to_owned);
    view! {
        <section class="panel" id="withdraw" aria-labelledby="withdraw-heading">
            <h2 id="withdraw-heading">"Withdraw my request"</h2>
            <p>"If you no longer want us to act on this request, you can withdraw it. We then close it and do no more work on it; you can always send a new one."</p>
            <form method="post" action=format!("/track/{token}/withdraw") novalidate>
                <TextAreaField id="f-withdraw-reason" name=WITHDRAW_FIELD label="Why you are withdrawing it (optional)" value=state.values.reason.clone() error/>
                <div class="actions">
                    <button type="submit" class="button secondary">"Withdraw my request"</button>
                </div>
            </form>
        </section>
    }
}

/// A request whose retention ended: what is left, and why, calmly.
#[component]
fn PurgedRequest(view: TrackingView) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    view! {
        <h1>"Your request is closed and its details were removed"</h1>
        <div class="notice" id="purged-notice">
            <p>
                "We keep the personal details of a request only as long as the law asks us to. "
                {view.purged_on.map(|day| format!("Those of request {} were removed on {}.", view.reference, long_date(day)))}
            </p>
            <p>"We keep its reference, the kind of request, its dates and its outcome for our records."</p>
        </div>
        <dl class="facts">
            <div><dt>"Reference"</dt><dd class="reference">{view.reference.to_string()}</dd></div>
            <div><dt>"Request"</dt><dd>{view.kind.label()}</dd></div>
            <div><dt>"Status"</dt><dd><span class="status">{view.status.label()}</span></dd></div>
            <div><dt>"Received"</dt><dd>{long_date(view.received_on)}</dd></div>
        </dl>
        <p class="note">"Questions? Call " {site.privacy_phone} " and quote your reference number."</p>
    }
}

#[component]
fn UnknownLink() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    view! {
        <h1>"We could not find a request at this link"</h1>
        <p>"Please check that you copied the whole link from your confirmation email."</p>
        <p>"If it still does not work, call " {site.privacy_phone} " and quote your reference number."</p>
    }
}

#[component]
fn Unavailable(incident: String) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    view! {
        <h1>"We cannot show your request right now"</h1>
        <p>"Something went wrong on our side. Your request is safe. Please try again in a few minutes."</p>
        {(!incident.is_empty()).then(|| view! {
            <p>"If it keeps happening, call " {site.privacy_phone.clone()} " and quote incident " <strong>{incident}</strong> "."</p>
        })}
    }
}
