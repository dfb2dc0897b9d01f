package agent

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
)

// Server is the chaos API: list the experiment's actions and what each
// would hit now, arm and disarm, trigger one of the experiment's actions
// now, halt. It does only what the experiment says: a request names an
// action, by name or index, and never gives a fault, a command, a selector
// or a signal. Every call must carry "Authorization: Bearer TOKEN"; the
// token is compared in constant time. It starts disarmed: a trigger then
// journals what it would do. A halt undoes every fault in force and
// disarms; it is idempotent.
//
//	GET  /v1/actions                 the actions (name, index, fault, what each matches now), armed or not, what was injected
//	POST /v1/arm, /v1/disarm
//	POST /v1/actions/{name}/trigger  fire the action named; no body
//	POST /v1/trigger                 fire {"action": NAME} or {"index": N}; any other field is a 400 naming it
//	POST /v1/halt
//
// A trigger answers 200 with what it hit, 400 for a malformed request, 404
// for an action the experiment does not have, 409 when the selection was
// refused or the fault failed. No answer and no journal line quotes a
// request's values or a file the agent read.
type Server struct {
	exp     *Experiment
	host    *Host
	journal *chaos.Journal
	token   [sha256.Size]byte

	mu     sync.Mutex
	runner *chaos.Runner
	armed  bool
}

// NewServer serves exp with token, journaling to journal. It refuses a
// token shorter than MinTokenBytes.
func NewServer(exp *Experiment, token string, journal *chaos.Journal) (*Server, error) {
	if exp == nil {
		return nil, errors.New("the chaos API needs an experiment: it triggers only the actions one defines")
	}
	if len(token) < MinTokenBytes {
		return nil, fmt.Errorf("the chaos API's token has %d bytes; it needs at least %d: %s", len(token), MinTokenBytes, MakeToken)
	}
	s := &Server{exp: exp, host: NewHost(), journal: journal, token: sha256.Sum256([]byte(token))}
	s.runner = s.newRunner()
	return s, nil
}

func (s *Server) newRunner() *chaos.Runner {
	opts := []chaos.RunnerOption{chaos.Disarmed()}
	if s.exp.Probe != nil {
		opts = append(opts, chaos.WithProbe(s.exp.Probe))
	}
	seed := rand.Uint64N(1<<53) + 1
	if s.exp.Seed != 0 {
		seed = s.exp.Seed
	}
	return chaos.NewRunner(s.host, s.journal, seed, opts...)
}

// Handler is the API, every route behind the token.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/actions", s.list)
	mux.HandleFunc("POST /v1/arm", func(w http.ResponseWriter, r *http.Request) { s.arm(w, true) })
	mux.HandleFunc("POST /v1/disarm", func(w http.ResponseWriter, r *http.Request) { s.arm(w, false) })
	mux.HandleFunc("POST /v1/actions/{name}/trigger", s.triggerNamed)
	mux.HandleFunc("POST /v1/trigger", s.triggerGiven)
	mux.HandleFunc("POST /v1/halt", func(w http.ResponseWriter, r *http.Request) {
		s.Halt("halted through the API")
		reply(w, http.StatusOK, map[string]any{"halted": true, "armed": false})
	})
	return s.authenticated(mux)
}

func (s *Server) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		given, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(given))
		if !ok || subtle.ConstantTimeCompare(sum[:], s.token[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="chaos"`)
			reply(w, http.StatusUnauthorized, map[string]string{"error": "a valid bearer token is required"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// actionView is an action as the list shows it.
type actionView struct {
	Name    string   `json:"name"`
	Index   int      `json:"index"` // what {"index": N} names
	Fault   string   `json:"fault"`
	Select  string   `json:"select,omitempty"`
	ForS    float64  `json:"for_s,omitempty"`
	Matches []string `json:"matches,omitempty"` // what its selector matches now
	Refused string   `json:"refused,omitempty"` // why a trigger now would be refused
}

func (s *Server) list(w http.ResponseWriter, _ *http.Request) {
	views := []actionView{}
	for i, a := range s.exp.Actions {
		v := actionView{Name: a.Name, Index: i, Fault: a.Fault.Action(), ForS: a.For.Seconds()}
		if pick := a.Select; pick != nil {
			v.Select = pick.Select.String()
			sel, err := s.host.Select(pick.Select)
			if err == nil {
				err = pick.Check(sel)
				for _, m := range sel.Matches {
					v.Matches = append(v.Matches, m.Name)
				}
			}
			if err != nil {
				v.Refused = err.Error()
			}
		}
		views = append(views, v)
	}
	s.mu.Lock()
	armed, injected := s.armed, s.runner.Injected()
	s.mu.Unlock()
	reply(w, http.StatusOK, map[string]any{"armed": armed, "actions": views, "injected": injected})
}

func (s *Server) arm(w http.ResponseWriter, on bool) {
	s.mu.Lock()
	s.armed = on
	s.runner.Arm(on)
	s.mu.Unlock()
	reply(w, http.StatusOK, map[string]bool{"armed": on})
}

func (s *Server) triggerNamed(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	if len(body) > 0 {
		fail(w, http.StatusBadRequest, errors.New("this route takes no body: the path names the action"))
		return
	}
	a, found := s.exp.Action(r.PathValue("name"))
	if !found {
		fail(w, http.StatusNotFound, ErrNoSuchAction)
		return
	}
	s.trigger(r.Context(), w, a)
}

func (s *Server) triggerGiven(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	a, err := s.exp.ParseTrigger(body)
	switch {
	case errors.Is(err, ErrNoSuchAction):
		fail(w, http.StatusNotFound, err)
	case err != nil:
		fail(w, http.StatusBadRequest, fmt.Errorf("trigger: %w", err))
	default:
		s.trigger(r.Context(), w, a)
	}
}

// readBody reads a trigger's body up to maxTriggerBody; a trigger takes no
// query parameters. It answers the call itself when it returns false.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.URL.RawQuery != "" {
		fail(w, http.StatusBadRequest, errors.New(`a trigger takes no query parameters: name the action in the path, or send {"action": NAME} or {"index": N}`))
		return nil, false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxTriggerBody+1))
	if err != nil || len(body) > maxTriggerBody {
		fail(w, http.StatusBadRequest, fmt.Errorf("a trigger's body has at most %d bytes", maxTriggerBody))
		return nil, false
	}
	return body, true
}

func fail(w http.ResponseWriter, status int, err error) {
	reply(w, status, map[string]string{"error": err.Error()})
}

func (s *Server) trigger(ctx context.Context, w http.ResponseWriter, a Action) {
	s.mu.Lock()
	runner := s.runner
	s.mu.Unlock()
	injected, err := runner.Trigger(context.WithoutCancel(ctx), a.event(s.host, 0))
	if errors.Is(err, chaos.ErrProbeFailed) {
		s.Halt(err.Error())
	}
	if err != nil {
		reply(w, http.StatusConflict, map[string]any{"error": err.Error(), "injected": injected})
		return
	}
	reply(w, http.StatusOK, injected)
}

// Halt undoes every fault in force and disarms; the next trigger starts
// afresh. It is safe to call more than once and at the same time.
func (s *Server) Halt(reason string) {
	s.mu.Lock()
	old := s.runner
	s.runner = s.newRunner()
	s.armed = false
	s.mu.Unlock()
	s.journal.Write(chaos.Entry{Stage: chaos.StageHalt, Action: "halt", Target: "api", Error: reason})
	old.Halt()
}

// Close halts and stops the watchdog.
func (s *Server) Close(reason string) error {
	s.Halt(reason)
	return s.host.Close()
}

// shutdownGrace bounds how long Serve waits for calls in flight.
const shutdownGrace = 5 * time.Second

// Serve answers on ln, a TLS listener for anything but loopback (see
// CheckListen), until ctx is done, then halts and closes.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	var err error
	select {
	case err = <-served:
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		err = srv.Shutdown(sctx)
		cancel()
		<-served
	}
	reason := "the agent stopped"
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		reason = "deadline"
	}
	return errors.Join(err, s.Close(reason))
}
