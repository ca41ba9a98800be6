/*
 * The three request forms as a person meets them: where they live, what
 * their fields are called on screen, and a complete set of answers for each.
 * Labels and messages are copied from app/src/pages and app/src/domain.
 */
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export type FormKey = 'opt-out' | 'amendment' | 'complaint';

export const site = {
  org: 'Example Medical Supply',
  privacyPhone: '1-800-555-0199',
  optOutPhone: '1-800-555-0142',
};

/** What the form says when a required field is left empty (app/src/domain/form.rs). */
export const required = (field: string): string =>
  ({
    full_name: 'Please enter your full name.',
    postal_address: 'Please enter your postal address.',
    current_information: 'Please tell us what the information says now.',
    corrected_information: 'Please tell us what it should say.',
    reason: 'Please tell us why it should change.',
    description: 'Please tell us what happened.',
  })[field] ?? 'Please answer this question.';

export const messages = {
  emailMissing: 'Please enter your email address so we can reply.',
  emailInvalid: 'Please enter an email address like name@example.com.',
  phoneInvalid: 'Please enter a phone number like 555-123-4567, or leave it empty.',
  scope: 'Please choose what the opt-out covers.',
  joint: 'Please say whether this is a joint account.',
  amendmentCategory: 'Please choose which information should be amended.',
  birthInFuture: 'A date of birth cannot be in the future.',
  complaintCategory: 'Please choose what the complaint is about.',
  occurredMissing: 'Please tell us when it happened. An approximate date is fine.',
  occurredInFuture: 'This date is in the future. Please enter when it happened.',
};

/** A text field or text area: its name and its label on screen. */
type Text = { kind: 'text'; name: string; label: string; value: string };
/** A radio group: its name, the option chosen and that option's label. */
type Radio = { kind: 'radio'; name: string; value: string; label: string };
export type Answer = Text | Radio;

export type FormSpec = {
  key: FormKey;
  path: string;
  heading: string;
  title: string;
  submit: string;
  /** The request kind as the tracking page names it. */
  kindLabel: string;
  /** What the tracking page says was asked, for `answers`. */
  summary: string;
  /** Whether the requester must confirm their email address first (not for opt-outs). */
  verifies: boolean;
  /** The status a new request shows. */
  status: string;
  answers: Answer[];
};

/** The status of an amendment or complaint until its email address is confirmed. */
export const unverified = 'Waiting for you to confirm your email address';

const text = (name: string, label: string, value: string): Text => ({ kind: 'text', name, label, value });
const radio = (name: string, value: string, label: string): Radio => ({ kind: 'radio', name, value, label });

export const forms: Record<FormKey, FormSpec> = {
  'opt-out': {
    key: 'opt-out',
    path: '/opt-out',
    heading: 'Opt out of sharing',
    title: 'Opt out of sharing',
    submit: 'Send my opt-out',
    kindLabel: 'Opt out of sharing',
    summary: 'Sharing for third parties\' own marketing (all holders of the joint account)',
    verifies: false,
    status: 'Received',
    answers: [
      text('full_name', 'Full name', 'Ada Lovelace'),
      text('email', 'Email address', 'ada@example.com'),
      text('phone', 'Phone number (optional)', '555-123-4567'),
      text('postal_address', 'Postal address', '1 Analytical Way, Springfield, IL 62701'),
      text('account_number', 'Account or order number (optional)', 'A-10042'),
      radio('scope', 'marketing_only', 'Sharing for third parties\' own marketing'),
      radio('joint_account', 'all_holders', 'All holders of the joint account'),
    ],
  },
  amendment: {
    key: 'amendment',
    path: '/amendment',
    heading: 'Amendment of your records',
    title: 'Amendment of your records',
    submit: 'Send my request',
    kindLabel: 'Amendment of your records',
    summary: 'Amend insurance information',
    verifies: true,
    status: unverified,
    answers: [
      text('full_name', 'Full name', 'Grace Hopper'),
      text('email', 'Email address', 'grace@example.com'),
      text('phone', 'Phone number (optional)', '(555) 987-6543'),
      text('account_number', 'Account, member or order number (optional)', 'M-2231'),
      text('date_of_birth', 'Date of birth (optional)', '1980-04-23'),
      radio('category', 'insurance', 'Insurance information'),
      text('current_information', 'What it says now', 'Insurer: Acme Health, member 1234'),
      text('corrected_information', 'What it should say', 'Insurer: Springfield Mutual, member 9876'),
      text('reason', 'Why it should change', 'My employer changed insurer in January.'),
      text('supporting_details', 'Anything else that supports your request (optional)', 'I can send the new card.'),
    ],
  },
  complaint: {
    key: 'complaint',
    path: '/complaint',
    heading: 'Privacy complaint',
    title: 'Privacy complaint',
    submit: 'Send my complaint',
    kindLabel: 'Privacy complaint',
    summary: 'Complaint about unwanted marketing contact',
    verifies: true,
    status: unverified,
    answers: [
      text('full_name', 'Full name', 'Alan Turing'),
      text('email', 'Email address', 'alan@example.com'),
      text('phone', 'Phone number (optional)', ''),
      radio('category', 'unwanted_marketing', 'Unwanted marketing contact'),
      text('occurred_on', 'When did it happen?', '2025-03-14'),
      text('description', 'What happened', 'I was phoned about offers after I asked you to stop.'),
    ],
  },
};

export const allForms = Object.values(forms);

/** The input of a text field or text area, found by its label as a person would. */
export function field(page: Page, label: string) {
  return page.getByLabel(label, { exact: true });
}

/** Fills in answers by their labels, as a person would. */
export async function fillAnswers(page: Page, answers: Answer[]) {
  for (const answer of answers) {
    if (answer.kind === 'text') {
      await field(page, answer.label).fill(answer.value);
    } else {
      await page.getByRole('radio', { name: answer.label, exact: true }).check();
    }
  }
}

/** Checks that the form shows exactly these answers. */
export async function expectAnswers(page: Page, answers: Answer[]) {
  for (const answer of answers) {
    if (answer.kind === 'text') {
      await expect(field(page, answer.label)).toHaveValue(answer.value);
    } else {
      await expect(page.getByRole('radio', { name: answer.label, exact: true })).toBeChecked();
    }
  }
}

/** The answers as the form would post them. */
export function formData(answers: Answer[], overrides: Record<string, string> = {}) {
  const data: Record<string, string> = {};
  for (const answer of answers) data[answer.name] = answer.value;
  return { ...data, ...overrides };
}

export const referencePattern = /^PR-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;

/** The organisation's time zone: the server's ORG_TIME_ZONE default, which dates every page and letter. */
const ORG_TIME_ZONE = 'America/New_York';

/** The day as the tracking page writes it ("25 November 2026"), in the organisation's calendar. */
export function longDate(at: Date) {
  return at.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: ORG_TIME_ZONE,
  });
}

const spanishMonths = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

/** The day as a Spanish page writes it ("7 de diciembre de 2026"), in the organisation's calendar. */
export function spanishLongDate(at: Date) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: ORG_TIME_ZONE, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return `${part('day')} de ${spanishMonths[part('month') - 1]} de ${part('year')}`;
}

/** Sends a complete request without a browser and returns its tracking path (with ?new=1). */
export async function createRequest(request: APIRequestContext, spec: FormSpec = forms.complaint) {
  const response = await request.post(spec.path, { form: formData(spec.answers), maxRedirects: 0 });
  expect(response.status(), 'a complete form is answered with 303 See Other').toBe(303);
  const location = response.headers()['location'];
  expect(location).toMatch(/^\/track\/[A-Za-z0-9_-]+\?new=1$/);
  return location;
}

/** The element that carries a field's aria-invalid: the input, or a radio group's fieldset. */
export function invalidTarget(page: Page, spec: FormSpec, name: string) {
  const answer = spec.answers.find((a) => a.name === name);
  if (!answer) throw new Error(`${spec.key} has no field ${name}`);
  return answer.kind === 'radio'
    ? page.locator('fieldset').filter({ has: page.locator(`#f-${name}`) })
    : page.locator(`#f-${name}`);
}

/**
 * Checks what a person sees when the form is sent back: a summary listing
 * exactly these problems, top to bottom, each linking to its field, and each
 * message beside its field, which is marked invalid. Other fields show nothing.
 */
export async function expectErrors(page: Page, spec: FormSpec, errors: Array<[name: string, message: string]>) {
  const summary = page.locator('.error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toHaveAttribute('role', 'alert');
  await expect(summary.getByRole('heading', { name: 'Please check the form' })).toBeVisible();
  const count = errors.length === 1 ? 'One answer needs' : `${errors.length} answers need`;
  await expect(summary).toContainText(`${count} your attention. What you typed is kept.`);
  const links = summary.getByRole('link');
  await expect(links).toHaveText(errors.map(([, message]) => message));
  for (const [index, [name]] of errors.entries()) {
    await expect(links.nth(index)).toHaveAttribute('href', `#f-${name}`);
  }

  for (const answer of spec.answers) {
    const error = errors.find(([name]) => name === answer.name);
    const line = page.locator(`#f-${answer.name}-error`);
    const target = invalidTarget(page, spec, answer.name);
    if (error) {
      await expect(line).toHaveText(`Error: ${error[1]}`);
      await expect(line).toBeVisible();
      await expect(target).toHaveAttribute('aria-invalid', 'true');
      await expect(target).toHaveAttribute('aria-describedby', new RegExp(`(^| )f-${answer.name}-error( |$)`));
    } else {
      await expect(line, `${answer.name} shows no error`).toHaveText('');
      await expect(target, `${answer.name} is not marked invalid`).not.toHaveAttribute('aria-invalid', 'true');
    }
  }
}

/** Checks that no error is shown anywhere on the form. */
export async function expectNoErrors(page: Page, spec: FormSpec) {
  await expect(page.locator('.error-summary')).toBeHidden();
  for (const answer of spec.answers) {
    await expect(page.locator(`#f-${answer.name}-error`)).toHaveText('');
  }
}

/** The value shown against a term in the tracking page's list of facts. */
export function facts(page: Page, term: string) {
  return page
    .locator('dl.facts > div')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) })
    .locator('dd');
}
