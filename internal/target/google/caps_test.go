package google

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
)

func people(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%04d@example.edu", prefix, i)
	}
	return out
}

func TestCaps(t *testing.T) {
	room := func(kind elevsynkv1.RoomKind, key string, owners, members int) desired.Room {
		r := desired.Room{Kind: kind, Key: key, Name: "n", MailNickname: "nick"}
		r.SetPeople(people("t", owners), people("s", members))
		return r
	}
	for _, tc := range []struct {
		name string
		room desired.Room
		want string // "" = fits
	}{
		{"course", room(elevsynkv1.RoomCourse, "k:a:1", 2, 30), ""},
		{"course at both caps", room(elevsynkv1.RoomCourse, "k:a:1", 50, 950), ""},
		{"51 teachers", room(elevsynkv1.RoomCourse, "k:a:1", 51, 0), "51 teachers, at most 50"},
		{"1001 members", room(elevsynkv1.RoomCourse, "k:a:1", 1, 1000), "1001 members, at most 1000"},
		{"no owner", room(elevsynkv1.RoomCourse, "k:a:1", 0, 3), "needs at least one owner"},
		{"long course key", room(elevsynkv1.RoomCourse, strings.Repeat("k", 244), 1, 0), "257 characters in the course alias"},
		{"longest course key", room(elevsynkv1.RoomCourse, strings.Repeat("k", 243), 1, 0), ""},
		{"group", room(elevsynkv1.RoomGoogleGroup, "klass:group:3f2a1b4c-0000-4000-8000-000000000000", 1, 3000), ""},
		{"long group key", room(elevsynkv1.RoomMailGroup, strings.Repeat("k", 54), 1, 0), "65 characters in the marker address"},
		{"no nickname", with(room(elevsynkv1.RoomGoogleGroup, "k", 1, 0), func(r *desired.Room) { r.MailNickname = "" }), "mail nickname"},
		{"security group", room(elevsynkv1.RoomSecurityGroup, "k", 1, 0), "Cloud Identity"},
		{"team", room(elevsynkv1.RoomTeam, "k", 1, 0), "not kept in Google Workspace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := def.Caps(tc.room)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Caps = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Caps = %v, want %q", err, tc.want)
			case err != nil:
				var ce *CapError
				if !errors.As(err, &ce) || ce.Key != tc.room.Key || strings.Contains(err.Error(), "@") {
					t.Errorf("error %q: not a CapError for the room, or names a person", err)
				}
			}
		})
	}
}

func with[T any](v T, f func(*T)) T {
	f(&v)
	return v
}
