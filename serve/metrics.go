package serve

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the delivery agent's Prometheus metrics, all named tamis_*.
type Metrics struct {
	Registry *prometheus.Registry

	sessions       prometheus.Gauge
	deliveries     *prometheus.CounterVec
	actions        *prometheus.CounterVec
	refusals       *prometheus.CounterVec
	replies        *prometheus.CounterVec
	errors         *prometheus.CounterVec
	compilesTotal  *prometheus.CounterVec
	trustReloads   *prometheus.CounterVec
	trustGenerated prometheus.Gauge
	evaluation     prometheus.Histogram
	delivery       prometheus.Histogram
	compile        prometheus.Histogram
}

// latencyBuckets spans 50 µs to 10 s.
var latencyBuckets = prometheus.ExponentialBucketsRange(50e-6, 10, 16)

// NewMetrics creates the metrics in a new registry, with the Go and process
// collectors.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		sessions: prometheus.NewGauge(prometheus.GaugeOpts{Name: "tamis_lmtp_sessions",
			Help: "LMTP sessions open now."}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tamis_deliveries_total",
			Help: "Recipients answered, by outcome: delivered (2xx), deferred (4xx: the MTA retries), rejected (5xx)."}, []string{"outcome"}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tamis_actions_total",
			Help: "Actions carried out, by kind: keep, fileinto, copy, reroute, reply, discard, reject, flag."}, []string{"kind"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tamis_refusals_total",
			Help: "Reroute, copy and reply targets refused by the trust check, by stage (evaluation or relay) and refusal code."}, []string{"stage", "code"}),
		replies: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tamis_replies_total",
			Help: "Absence replies, by outcome (sent, suppressed, failed) and reason (the suppression code, or the error kind)."}, []string{"outcome", "reason"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tamis_errors_total",
			Help: "Failures, by part: store, maildir, relay, state, evaluation, message."}, []string{"part"}),
		compilesTotal: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tamis_policy_compiles_total",
			Help: "Mailbox policies compiled, by outcome (ok, error: the last good one stays)."}, []string{"outcome"}),
		trustReloads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tamis_trust_reloads_total",
			Help: "Trust list reloads, by outcome (ok, error: the last good list stays)."}, []string{"outcome"}),
		trustGenerated: prometheus.NewGauge(prometheus.GaugeOpts{Name: "tamis_trust_list_generated_timestamp_seconds",
			Help: "Generation time of the trust list in use (Unix seconds); 0 for the built-in fallback."}),
		evaluation: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "tamis_evaluation_duration_seconds",
			Help: "Time to evaluate one recipient's policy.", Buckets: latencyBuckets}),
		delivery: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "tamis_delivery_duration_seconds",
			Help: "Time from the end of DATA to the answers, for one message and all its recipients.", Buckets: latencyBuckets}),
		compile: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "tamis_policy_compile_duration_seconds",
			Help: "Time to read and compile one mailbox's policy.", Buckets: latencyBuckets}),
	}
	reg.MustRegister(m.sessions, m.deliveries, m.actions, m.refusals, m.replies, m.errors,
		m.compilesTotal, m.trustReloads, m.trustGenerated, m.evaluation, m.delivery, m.compile,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *Metrics) compiles(ok bool, d time.Duration) {
	outcome := "ok"
	if !ok {
		outcome = "error"
	}
	m.compilesTotal.WithLabelValues(outcome).Inc()
	m.compile.Observe(d.Seconds())
}
