"""The CRM's forms, one module per screen: ``visits`` (logging a visit), ``importing`` (import and
export), ``segments`` (a segment's filters). They check input; the rules live in services."""
