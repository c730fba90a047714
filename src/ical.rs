//! iCalendar.
