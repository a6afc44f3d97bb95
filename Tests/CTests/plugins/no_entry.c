/* A shared object that is not a plugin: it lacks gd_plugin_entry_v1. */
int not_a_plugin_entry(void);
int not_a_plugin_entry(void) { return 1; }
