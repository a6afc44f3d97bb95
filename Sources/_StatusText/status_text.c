#include "status_text.h"

#include "gradient_descent.h"

const char *gradient_descent_status_text(int status) {
    switch (status) {
#define GD_STATUS_TEXT_CASE_(name, value, text) case value: return text;
        GD_STATUS_TABLE(GD_STATUS_TEXT_CASE_)
#undef GD_STATUS_TEXT_CASE_
    default: return "unknown status";
    }
}

const char *gradient_descent_stop_reason_text(int reason) {
    switch (reason) {
#define GD_STOP_REASON_TEXT_CASE_(name, value, text) case value: return text;
        GD_STOP_REASON_TABLE(GD_STOP_REASON_TEXT_CASE_)
#undef GD_STOP_REASON_TEXT_CASE_
    default: return "unknown stop reason";
    }
}
