use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::{FormAlert, InputField};
use crate::domain::staff_forms::FormName;

use super::{refusal_for, staff_feedback, typed};

/// Where staff sign in. The form carries no CSRF token: nobody is signed in
/// yet, and the server checks the Origin header instead.
#[component]
pub fn SignInPage() -> impl IntoView {
    let feedback = staff_feedback();
    let query = use_query_map();
    let (next, signed_out, expired, welcome) = query.with_untracked(|query| {
        (
            query.get("next").unwrap_or_else(|| "/staff".to_owned()),
            query.get("signed_out").is_some(),
            query.get("expired").is_some(),
            query.get("welcome").is_some(),
        )
    });
    view! {
        <Title text="Staff sign in"/>
        <div class="wrap narrow">
            <h1>"Staff sign in"</h1>
            {signed_out.then(|| view! { <p class="done" role="status">"You have signed out."</p> })}
            {welcome.then(|| view! { <p class="done" role="status">"Your password is set. Sign in with it now."</p> })}
            {expired.then(|| view! { <p class="notice" role="status">"Your session ended. Please sign in again."</p> })}
            <form method="post" action="/staff/sign-in" class="staff-form sign-in">
                <input type="hidden" name="form" value=FormName::SignIn.as_str()/>
                <input type="hidden" name="next" value=next/>
                {refusal_for(&feedback, FormName::SignIn).map(|message| view! { <FormAlert message/> })}
                <InputField
                    id="sign-in-email"
                    name="email"
                    label="Email address"
                    input_type="email"
                    autocomplete="username"
                    required=true
                    value=typed(&feedback, FormName::SignIn, "email", "")
                />
                // What was typed as the password is never sent back.
                <InputField
                    id="sign-in-password"
                    name="password"
                    label="Password"
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                />
                <div class="actions">
                    <button type="submit" class="button">"Sign in"</button>
                </div>
            </form>
        </div>
    }
}
