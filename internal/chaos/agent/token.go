package agent

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"strconv"

	"github.com/loadchaos/loadgen/internal/secretfile"
)

// MinTokenBytes is the shortest token the API accepts: 32 bytes, as many
// as 256 random bits take, so that guessing it is hopeless.
const MinTokenBytes = 32

// maxSecretBytes bounds what is read of a token file or a TLS key.
const maxSecretBytes = 64 << 10

// MakeToken says how to make a token file the API accepts.
const MakeToken = "make one with: head -c 32 /dev/urandom | base64 > token; chmod 600 token"

// ReadToken reads the API's bearer token from path: a regular file owned
// by the agent's user or root that nobody else may read or change (mode
// 0600 or 0400; 0640 when group names the file's group, by name or ID),
// holding at least MinTokenBytes of printable ASCII, blanks around it
// ignored. Its errors never quote the file.
func ReadToken(path, group string) (string, error) {
	data, err := readSecret(path, group)
	if err != nil {
		return "", fmt.Errorf("token file %s: %w; %s", path, err, MakeToken)
	}
	token := bytes.TrimSpace(data)
	for _, b := range token {
		if b <= ' ' || b > '~' {
			return "", fmt.Errorf("token file %s: a token is printable ASCII without blanks, as an HTTP header carries it; %s", path, MakeToken)
		}
	}
	if len(token) < MinTokenBytes {
		return "", fmt.Errorf("token file %s: the token has %d bytes; it needs at least %d; %s", path, len(token), MinTokenBytes, MakeToken)
	}
	return string(token), nil
}

// readSecret reads a file that holds a secret (a token, a TLS key), bounded,
// if only its owner (or, with group, that group too) may read it.
func readSecret(path, group string) ([]byte, error) {
	f, fi, err := secretfile.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := checkPrivate(fi, group); err != nil {
		return nil, err
	}
	return secretfile.ReadAtMost(f, maxSecretBytes)
}

// checkPrivate refuses a secret's file that another user could read or
// change: one owned by someone other than the agent's user or root, or
// with mode bits beyond 0600 (0640 when group is the file's group).
func checkPrivate(fi fs.FileInfo, group string) error {
	uid, fileGID, err := owner(fi)
	if err != nil {
		return fmt.Errorf("cannot tell its owner: %w", err)
	}
	if euid := os.Geteuid(); uid != uint32(euid) && uid != 0 {
		return fmt.Errorf("owned by uid %d, neither this agent's user (uid %d) nor root, who could change it", uid, euid)
	}
	perm := fi.Mode().Perm()
	allowed := fs.FileMode(0o600)
	if group != "" {
		gid, err := groupID(group)
		if err != nil {
			return err
		}
		if fileGID != gid && perm&0o070 != 0 {
			return fmt.Errorf("its group is gid %d, not --token-group %s: chgrp it, or chmod 600", fileGID, group)
		}
		allowed |= 0o040
	}
	switch {
	case perm&^allowed == 0:
		return nil
	case perm&^0o640 == 0 && group == "":
		return fmt.Errorf("mode %04o lets its group read it: name that group with --token-group GROUP, or chmod 600", perm)
	}
	return fmt.Errorf("mode %04o lets other users read or change it: chmod 600", perm)
}

// groupID resolves a group's name or numeric ID.
func groupID(group string) (uint32, error) {
	if id, err := strconv.ParseUint(group, 10, 32); err == nil {
		return uint32(id), nil
	}
	g, err := user.LookupGroup(group)
	if err != nil {
		return 0, fmt.Errorf("--token-group: %w", err)
	}
	id, err := strconv.ParseUint(g.Gid, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("--token-group %s: gid %s is not a number", group, g.Gid)
	}
	return uint32(id), nil
}
