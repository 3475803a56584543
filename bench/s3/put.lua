-- wrk: PUT a 4 KiB body to the (presigned) URL given on the command line.
wrk.method = "PUT"
wrk.body = string.rep("x", 4096)
wrk.headers["Content-Type"] = "application/octet-stream"
