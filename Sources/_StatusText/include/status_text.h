/* The text of each status code and stop reason, expanded in C from the header's
 * GD_STATUS_TABLE and GD_STOP_REASON_TABLE, so gd_status_string() and gd_stop_reason_string()
 * cannot drift from the table. Internal to the library: the names do not start with gd_, so
 * the version script keeps them out of the exports. */
#ifndef GRADIENT_DESCENT_STATUS_TEXT_H
#define GRADIENT_DESCENT_STATUS_TEXT_H

/* The table's static text for a status code; "unknown status" for any other value. */
const char *gradient_descent_status_text(int status);

/* The table's static text for a stop reason; "unknown stop reason" for any other value. */
const char *gradient_descent_stop_reason_text(int reason);

#endif
