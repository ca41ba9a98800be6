use leptos::prelude::*;

use crate::domain::accounts::PASSWORD_HINT;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{FormAlert, InputField};
use crate::domain::staff_forms::FormName;

use super::{refusal_for, staff_feedback};

/// Where an invitation link lands: the new colleague chooses a password.
#[component]
pub fn WelcomePage() -> impl IntoView {
    let feedback = staff_feedback();
    let token = use_params_map().with_untracked(|params| params.get("token").unwrap_or_default());
    let invalid = use_query_map().with_untracked(|query| query.get("result").as_deref() == Some("invalid"));
    view! {
        <Title text="Set your password"/>
        <div class="wrap narrow">
            {if invalid {
                view! {
                    <h1>"This invitation cannot be used"</h1>
                    <p>"This invitation link has expired or was already used. Ask an administrator for a new one."</p>
                }
                    .into_any()
            } else {
                view! {
                    <h1>"Set your password"</h1>
                    <p>"Welcome. Choose the password you will sign in with."</p>
                    <form method="post" action=format!("/staff/welcome/{token}") class="staff-form">
                        <input type="hidden" name="form" value=FormName::Welcome.as_str()/>
                        {refusal_for(&feedback, FormName::Welcome).map(|message| view! { <FormAlert message/> })}
                        <InputField
                            id="welcome-password"
                            name="password"
                            label="New password"
                            hint=PASSWORD_HINT
                            input_type="password"
                            autocomplete="new-password"
                            required=true
                        />
                        <InputField
                            id="welcome-confirm"
                            name="confirm"
                            label="Type the password again"
                            input_type="password"
                            autocomplete="new-password"
                            required=true
                        />
                        <div class="actions">
                            <button type="submit" class="button">"Set my password"</button>
                        </div>
                    </form>
                }
                    .into_any()
            }}
        </div>
    }
}
