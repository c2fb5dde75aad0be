-- wrk: POST with an empty body, as the original upload page does.
wrk.method = "POST"
wrk.body = ""
