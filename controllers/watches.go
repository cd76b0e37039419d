package controllers

import (
	"context"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// enqueueNamespace re-queues every object of list's kind in the namespace of
// the object that changed. Namespaces are tenants, so they hold few objects.
func enqueueNamespace(mgr ctrl.Manager, list client.ObjectList) handler.EventHandler {
	return handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, obj client.Object) []reconcile.Request {
		l := list.DeepCopyObject().(client.ObjectList)
		if err := mgr.GetClient().List(ctx, l, client.InNamespace(obj.GetNamespace())); err != nil {
			return nil
		}
		return requestsFor(l)
	})
}

// enqueueReferrers re-queues the objects of list's kind whose field index
// names the object that changed.
func enqueueReferrers(mgr ctrl.Manager, list client.ObjectList, index string) handler.EventHandler {
	return handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, obj client.Object) []reconcile.Request {
		l := list.DeepCopyObject().(client.ObjectList)
		if err := mgr.GetClient().List(ctx, l, client.InNamespace(obj.GetNamespace()),
			client.MatchingFields{index: obj.GetName()}); err != nil {
			return nil
		}
		return requestsFor(l)
	})
}

func requestsFor(l client.ObjectList) []reconcile.Request {
	items, err := apimeta.ExtractList(l)
	if err != nil {
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(items))
	for _, item := range items {
		o := item.(client.Object)
		reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: o.GetName()}})
	}
	return reqs
}
