package main

import (
	"net/http"

	"starling"
)

// webHandler serves the web pages.
func webHandler(svc *starling.Service, secure bool) http.Handler {
	return http.NotFoundHandler()
}
