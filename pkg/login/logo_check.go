package login

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// This file tells whether an uploaded logo really is the image its
// Content-Type says, by reading its structure by hand: the image/*
// decoders would add to every function's cold start, and a logo is
// served as it was uploaded, never decoded. Anything that is not a
// well-formed PNG, JPEG or WebP (SVG above all: it may carry script) is
// refused.

// imageIs reports whether data is a well-formed image of the logo type
// ct (image/png, image/jpeg or image/webp).
func imageIs(ct string, data []byte) bool {
	switch ct {
	case "image/png":
		return isPNG(data)
	case "image/jpeg":
		return isJPEG(data)
	case "image/webp":
		return isWebP(data)
	}
	return false
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// isPNG reports whether data is a PNG: its signature, then chunks each
// of a length, a type of four letters, the data and a right CRC, the
// first IHDR (13 bytes, a size above zero and a known bit depth and
// colour type), at least one IDAT, and IEND last, at the very end.
func isPNG(data []byte) bool {
	rest, ok := bytes.CutPrefix(data, pngSignature)
	if !ok {
		return false
	}
	first, idat := true, false
	for len(rest) >= 12 {
		n := binary.BigEndian.Uint32(rest)
		if uint64(n) > uint64(len(rest)-12) {
			return false
		}
		typ, body := rest[4:8], rest[8:8+n]
		if binary.BigEndian.Uint32(rest[8+n:]) != crc32.ChecksumIEEE(rest[4:8+n]) {
			return false
		}
		for _, c := range typ {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				return false
			}
		}
		rest = rest[12+n:]
		switch t := string(typ); {
		case first:
			if t != "IHDR" || !validIHDR(body) {
				return false
			}
			first = false
		case t == "IDAT":
			idat = true
		case t == "IEND":
			return n == 0 && idat && len(rest) == 0
		case t == "IHDR":
			return false
		}
	}
	return false
}

// validIHDR checks a PNG header chunk's fields.
func validIHDR(b []byte) bool {
	if len(b) != 13 {
		return false
	}
	w, h := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
	depth, color := b[8], b[9]
	if w == 0 || h == 0 || w > 1<<31-1 || h > 1<<31-1 || b[10] != 0 || b[11] != 0 || b[12] > 1 {
		return false
	}
	allowed := map[byte][]byte{0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}[color]
	return bytes.IndexByte(allowed, depth) >= 0
}

// isJPEG reports whether data is a JPEG: SOI, marker segments of a right
// length with a frame header (SOFn: precision 8 or 12, a size above zero,
// 1-4 components) before the first scan (SOS), and EOI at the very end.
func isJPEG(data []byte) bool {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 || data[len(data)-2] != 0xFF || data[len(data)-1] != 0xD9 {
		return false
	}
	frame := false
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return false
		}
		m := data[i+1]
		if m == 0xFF { // fill byte before a marker
			i++
			continue
		}
		if m == 0x01 || m >= 0xD0 && m <= 0xD7 {
			i += 2 // a marker without a segment
			continue
		}
		if m == 0xD8 || m == 0xD9 || m == 0x00 {
			return false // SOI or EOI before any scan, or no marker at all
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return false
		}
		seg := data[i+4 : i+2+n]
		switch {
		case isSOF(m):
			if frame || !validSOF(seg) {
				return false
			}
			frame = true
		case m == 0xDA:
			// The entropy-coded data runs from here to EOI; the scan
			// header must name 1-4 components.
			return frame && len(seg) >= 4 && seg[0] >= 1 && seg[0] <= 4 && len(seg) == 1+2*int(seg[0])+3
		}
		i += 2 + n
	}
	return false
}

// isSOF reports whether m is a start-of-frame marker (SOF0-SOF15 but for
// DHT C4, JPG C8 and DAC CC, which share the range).
func isSOF(m byte) bool {
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC
}

// validSOF checks a frame header: precision, height, width, components.
func validSOF(s []byte) bool {
	if len(s) < 6 {
		return false
	}
	p, h, w, nc := s[0], binary.BigEndian.Uint16(s[1:]), binary.BigEndian.Uint16(s[3:]), int(s[5])
	return (p == 8 || p == 12) && h > 0 && w > 0 && nc >= 1 && nc <= 4 && len(s) == 6+3*nc
}

// isWebP reports whether data is a WebP: a RIFF container of type WEBP
// whose size is the whole body, its first chunk VP8 (a key frame with its
// start code and a size above zero), VP8L (its signature) or VP8X (the
// extended header, 10 bytes), of a length that fits.
func isWebP(data []byte) bool {
	if len(data) < 20 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return false
	}
	if uint64(binary.LittleEndian.Uint32(data[4:]))+8 != uint64(len(data)) {
		return false
	}
	fourcc, n := string(data[12:16]), uint64(binary.LittleEndian.Uint32(data[16:]))
	body := data[20:]
	if n > uint64(len(body)) {
		return false
	}
	body = body[:n]
	switch fourcc {
	case "VP8 ":
		// A key frame: bit 0 of the frame tag clear, then the start
		// code 9d 01 2a and 14-bit width and height.
		if len(body) < 10 || body[0]&1 != 0 || body[3] != 0x9d || body[4] != 0x01 || body[5] != 0x2a {
			return false
		}
		return binary.LittleEndian.Uint16(body[6:])&0x3fff > 0 && binary.LittleEndian.Uint16(body[8:])&0x3fff > 0
	case "VP8L":
		// The signature byte, then width-1 and height-1 in 14 bits each
		// and a version of 0.
		return len(body) >= 5 && body[0] == 0x2f && body[4]>>5 == 0
	case "VP8X":
		// Flags, 3 reserved bytes, canvas width-1 and height-1 in 24 bits;
		// the image chunks follow.
		return n == 10 && body[0]&0xC1 == 0 && len(data) > 30
	}
	return false
}
