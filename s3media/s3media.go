// Package s3media keeps uploaded files in S3-compatible object storage, so
// that several app servers share them: a file uploaded through one server
// is served by any other. Starling serves the files itself (under /media/),
// so the bucket can stay private.
package s3media

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"starling"
)

// Config says where the bucket is.
type Config struct {
	URL       string // http(s)://host:port/bucket
	AccessKey string
	SecretKey string
	Region    string // "" for the store's default
}

// Files implements starling.MediaFiles in a bucket.
type Files struct {
	client *minio.Client
	bucket string
}

var _ starling.MediaFiles = (*Files)(nil)

// New connects to the bucket, creating it if it does not exist.
func New(ctx context.Context, c Config) (*Files, error) {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("S3 URL %q must look like https://host:port/bucket", c.URL)
	}
	bucket := strings.Trim(u.Path, "/")
	if bucket == "" || strings.Contains(bucket, "/") {
		return nil, fmt.Errorf("S3 URL %q must name one bucket after the host", u.Redacted())
	}
	client, err := minio.New(u.Host, &minio.Options{
		Creds: credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""), Secure: u.Scheme == "https",
		Region: c.Region, BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		return nil, fmt.Errorf("S3 client: %w", err)
	}
	exists, err := client.BucketExists(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("S3 bucket %s at %s: %w", bucket, u.Host, err)
	}
	if !exists {
		err := client.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: c.Region})
		if err != nil && minio.ToErrorResponse(err).Code != "BucketAlreadyOwnedByYou" { // another server was first
			return nil, fmt.Errorf("create S3 bucket %s: %w", bucket, err)
		}
	}
	return &Files{client: client, bucket: bucket}, nil
}

// Put implements starling.MediaFiles; the store acknowledges only a whole,
// durable object.
func (f *Files) Put(ctx context.Context, key string, body io.Reader, size int64, contentType string) error {
	_, err := f.client.PutObject(ctx, f.bucket, key, body, size, minio.PutObjectOptions{ContentType: contentType})
	if err != nil {
		return fmt.Errorf("S3 put: %w", err)
	}
	return nil
}

// Get implements starling.MediaFiles.
func (f *Files) Get(ctx context.Context, key string) (io.ReadCloser, starling.FileInfo, error) {
	obj, err := f.client.GetObject(ctx, f.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, starling.FileInfo{}, fmt.Errorf("S3 get: %w", err)
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		if code := minio.ToErrorResponse(err).Code; code == "NoSuchKey" || code == "NotFound" {
			return nil, starling.FileInfo{}, starling.Errorf(starling.ENOTFOUND, "Record not found")
		}
		return nil, starling.FileInfo{}, fmt.Errorf("S3 get: %w", err)
	}
	return obj, starling.FileInfo{Size: st.Size, ContentType: st.ContentType, ModTime: st.LastModified}, nil
}

// Delete implements starling.MediaFiles.
func (f *Files) Delete(ctx context.Context, key string) error {
	if err := f.client.RemoveObject(ctx, f.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("S3 delete: %w", err)
	}
	return nil
}
