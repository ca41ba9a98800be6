/** The staff accounts every end-to-end run starts with, by role. */
export const STAFF = {
  'admin@example.com': 'admin',
  'manager@example.com': 'manager',
  'agent@example.com': 'agent',
} as const;

export const STAFF_PASSWORD = 'e2e password long enough';
