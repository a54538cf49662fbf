package atmos

errors["engine must be postgres"] {
  input.vars.engine != "postgres"
}
