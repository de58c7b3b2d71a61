"""Pure rules: functions of (plan, history, today) → results. No YAML, no SQL, no clock."""
