package main

import (
	"errors"
	"sync"
	"sync/atomic"

	"github.com/tamis-mss/tamis/engine/message"
)

// parsed is a message read by a worker.
type parsed struct {
	msg *message.Message
	err error
}

// batchChunk is the number of consecutive messages a worker reads at a
// time: workers and the printer meet once per chunk, not once per
// message.
const batchChunk = 16

// parseInput reads and parses one input; buf is the worker's read buffer,
// reused from one message to the next since a Message keeps no reference
// to the bytes it was parsed from.
func parseInput(in *input, buf []byte) (parsed, []byte) {
	raw, buf, err := in.load(buf)
	if err != nil {
		return parsed{err: err}, buf
	}
	var p parsed
	p.msg, p.err = message.Parse(raw, message.DefaultOptions())
	if errors.Is(p.err, message.ErrEmpty) {
		p.err = errors.New("empty message")
	}
	return p, buf
}

// readBatch reads and parses the inputs with a bounded pool of workers and
// calls each for every input, in input order, from the calling goroutine.
// With one worker it reads in the calling goroutine. Otherwise workers take
// chunks of batchChunk inputs in order; at most workers+1 chunks wait in
// memory for their turn.
func readBatch(inputs []input, workers int, each func(i int, p parsed)) {
	workers = min(workers, (len(inputs)+batchChunk-1)/batchChunk)
	if workers <= 1 {
		var buf []byte
		for i := range inputs {
			var p parsed
			p, buf = parseInput(&inputs[i], buf)
			each(i, p)
		}
		return
	}
	chunks := (len(inputs) + batchChunk - 1) / batchChunk
	results := make([]parsed, len(inputs))
	done := make([]chan struct{}, chunks)
	for c := range done {
		done[c] = make(chan struct{})
	}
	window := make(chan struct{}, workers+1) // chunks read but not yet handed to each
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var buf []byte
			for {
				window <- struct{}{}
				c := int(next.Add(1) - 1)
				if c >= chunks {
					<-window
					return
				}
				for i := c * batchChunk; i < min((c+1)*batchChunk, len(inputs)); i++ {
					results[i], buf = parseInput(&inputs[i], buf)
				}
				close(done[c])
			}
		})
	}
	for c := range chunks {
		<-done[c]
		for i := c * batchChunk; i < min((c+1)*batchChunk, len(inputs)); i++ {
			each(i, results[i])
			results[i] = parsed{} // let the message go
		}
		<-window
	}
	wg.Wait()
}
