package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/alicebob/miniredis/v2"
	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/store"
	"github.com/tamis-mss/tamis/store/dir"
	storeredis "github.com/tamis-mss/tamis/store/redis"
)

const (
	layerSecurite = "rule \"Étiquette urgente\" {\n    when subject contains \"urgent\"\n    flag \"$Urgent\"\n}\n"
	layerArchive  = "rule \"Archive\" {\n    file into \"Archive\"\n}\n"
	layerOutside  = "rule \"Fuite\" {\n    copy to \"quelquun@gmail.com\"\n}\n"
	pushMailbox   = "dr.martin@medecin.mssante.fr"
)

// layerTree writes a layer tree: one global layer before, one of the
// mailbox after.
func layerTree(t *testing.T) string {
	d := t.TempDir()
	writeFile(t, filepath.Join(d, "operator", "before", "10-securite.rules"), layerSecurite)
	writeFile(t, filepath.Join(d, "mailboxes", pushMailbox, "after", "90-archive.rules"), layerArchive)
	writeFile(t, filepath.Join(d, "operator", "before", ".10-securite.rules.swp"), "junk")
	writeFile(t, filepath.Join(d, "README.md"), "not a layer")
	return d
}

func serveConfig(t *testing.T, store string) string {
	path := filepath.Join(t.TempDir(), "serve.toml")
	writeFile(t, path, "[trust]\nlist = \""+testenv.TrustList(t)+"\"\nchecksum = \""+testenv.TrustListSHA256+"\"\n\n"+store)
	return path
}

func TestPushLayersRedis(t *testing.T) {
	mr := miniredis.RunT(t)
	conf := serveConfig(t, "[store]\nbackend = \"redis\"\n\n[store.redis]\naddrs = [\""+mr.Addr()+"\"]\n")
	tree := layerTree(t)
	c := goredis.NewClient(&goredis.Options{Addr: mr.Addr()})
	defer c.Close()
	st := storeredis.New(c, storeredis.Options{})
	ctx := context.Background()

	code, out, errOut := cli(t, "", "push-layers", "--config", conf, "--dry-run", tree)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "would put operator/before/10-securite.rules")
	require.Empty(t, mr.Keys(), "--dry-run wrote to Redis")

	code, out, errOut = cli(t, "", "push-layers", "--config", conf, tree)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "2 layers put, 0 removed (redis store)")
	src, err := st.Sources(ctx, pushMailbox)
	require.NoError(t, err)
	require.Len(t, src.Before, 1)
	require.Equal(t, "operator/before/10-securite.rules", src.Before[0].Name)
	require.Equal(t, layerSecurite, string(src.Before[0].Text))
	require.Len(t, src.After, 1)
	require.Equal(t, layerArchive, string(src.After[0].Text))

	// A layer with an error: nothing is written, the diagnostic is shown.
	writeFile(t, filepath.Join(tree, "operator", "after", "50-fuite.rules"), layerOutside)
	writeFile(t, filepath.Join(tree, "operator", "before", "10-securite.rules"), "rule \"changed\" {\n    keep\n}\n")
	code, _, errOut = cli(t, "", "push-layers", "--config", conf, tree)
	require.Equal(t, exitFound, code)
	require.Contains(t, errOut, "50-fuite.rules:")
	require.Contains(t, errOut, "nothing written")
	src, err = st.Sources(ctx, pushMailbox)
	require.NoError(t, err)
	require.Equal(t, layerSecurite, string(src.Before[0].Text), "a refused push changed a layer")

	// --prune removes what the tree no longer has; users' scripts stay.
	require.NoError(t, os.Remove(filepath.Join(tree, "operator", "after", "50-fuite.rules")))
	require.NoError(t, os.Remove(filepath.Join(tree, "mailboxes", pushMailbox, "after", "90-archive.rules")))
	n, _ := store.ParseScriptName("roundcube")
	require.NoError(t, st.PutScript(ctx, pushMailbox, store.Script{Name: n, Sieve: []byte("keep;"), Policy: []byte("")}))
	code, out, errOut = cli(t, "", "push-layers", "--config", conf, "--prune", tree)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "remove mailboxes/"+pushMailbox+"/after/90-archive.rules")
	src, err = st.Sources(ctx, pushMailbox)
	require.NoError(t, err)
	require.Empty(t, src.After)
	require.Equal(t, "rule \"changed\" {\n    keep\n}\n", string(src.Before[0].Text))
	_, err = st.Script(ctx, pushMailbox, n)
	require.NoError(t, err, "--prune removed a user's script")
}

func TestPushLayersDir(t *testing.T) {
	root := filepath.Join(t.TempDir(), "policies")
	conf := serveConfig(t, "[store]\nbackend = \"dir\"\npath = \""+root+"\"\n")
	tree := layerTree(t)
	code, _, errOut := cli(t, "", "push-layers", "--config", conf, tree)
	require.Equal(t, exitOK, code, errOut)
	st, err := dir.Open(root)
	require.NoError(t, err)
	n, _ := store.ParseScriptName("roundcube")
	require.NoError(t, st.PutScript(context.Background(), pushMailbox, store.Script{Name: n, Sieve: []byte("keep;"), Policy: []byte("")}))
	require.NoError(t, os.Remove(filepath.Join(tree, "operator", "before", "10-securite.rules")))
	code, out, errOut := cli(t, "", "push-layers", "--config", conf, "--prune", tree)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "remove operator/before/10-securite.rules")
	require.NotContains(t, out, "scripts")
	src, err := st.Sources(context.Background(), pushMailbox)
	require.NoError(t, err)
	require.Empty(t, src.Before)
	require.Len(t, src.After, 1)
}

func TestPushLayersUsage(t *testing.T) {
	tree := layerTree(t)
	writeFile(t, filepath.Join(tree, "operator", "avant", "x.rules"), layerArchive)
	conf := serveConfig(t, "")
	code, _, errOut := cli(t, "", "push-layers", "--config", conf, tree)
	require.Equal(t, exitUsage, code)
	require.Contains(t, errOut, "not in the layout")
	code, _, errOut = cli(t, "", "push-layers", tree)
	require.Equal(t, exitUsage, code)
	require.Contains(t, errOut, "--config FILE is required")
	code, _, errOut = cli(t, "", "push-layers", "--config", conf, t.TempDir())
	require.Equal(t, exitUsage, code)
	require.Contains(t, errOut, "holds no layer")
}
